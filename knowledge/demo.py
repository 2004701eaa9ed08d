"""Demo knowledge base: a tree of groups with some thirty articles a sales team keeps (call scripts, objection
handling, product sheets, FAQs, regulations), written through the section's services so that each has its
versions; some edited since, some read and found helpful, some linked from the demo opportunities and products."""

from __future__ import annotations

from django.utils.html import escape

ORDER = 60  # after the opportunities (40) and products (15) the articles are linked from

MARKER = {"demo": "knowledge"}

#: group path -> [(type, name, summary, [(heading, paragraphs or list items)])]
LIBRARY: dict[tuple[str, ...], list[tuple[str, str, str, list[tuple[str, list[str]]]]]] = {
    ("Sales", "Call scripts"): [
        (
            "Sales scripts",
            "First call to a new lead",
            "Open, qualify and agree the next step in ten minutes.",
            [
                (
                    "Opening",
                    [
                        "Introduce yourself and the reason for the call in one sentence.",
                        "Ask whether now is a good time; if not, agree a time and hang up.",
                    ],
                ),
                (
                    "Qualifying questions",
                    [
                        "* Who else decides on this purchase?",
                        "* What do you use today?",
                        "* When would you like the new solution running?",
                        "* Is there a budget set aside for it?",
                    ],
                ),
                (
                    "Closing the call",
                    ["Propose a demo within the week and send the invitation while still on the line."],
                ),
            ],
        ),
        (
            "Sales scripts",
            "Follow-up after a demo",
            "What to say two days after the demo.",
            [
                ("Goal", ["Find out what stuck, what worried them, and who must see the proposal."]),
                (
                    "Questions",
                    [
                        "* What did your team like most?",
                        "* What would stop you from going ahead?",
                        "* Who signs the contract?",
                    ],
                ),
            ],
        ),
        (
            "Sales scripts",
            "Reactivating a lost customer",
            "A call to a customer who left us last year.",
            [
                ("Before the call", ["Read the closed opportunity and the reason for the loss in the record."]),
                (
                    "Script",
                    [
                        "Acknowledge why they left. Tell them what changed since then, with one concrete example.",
                        "Offer a pilot of one month at no cost for one team.",
                    ],
                ),
            ],
        ),
        (
            "Sales scripts",
            "Voicemail messages that get called back",
            "Three short messages that work.",
            [
                ("Rules", ["* Under twenty seconds.", "* One reason to call back.", "* Your number twice, slowly."]),
            ],
        ),
    ],
    ("Sales", "Objection handling"): [
        (
            "FAQ",
            "The price is too high",
            "Answering the most frequent objection without giving a discount.",
            [
                (
                    "Listen first",
                    ["Ask what the price is compared with: another vendor, last year's budget, or nothing."],
                ),
                (
                    "Answer with value",
                    [
                        "Show the cost of the problem today: hours lost per week times the team size.",
                        "Offer a smaller first phase rather than a lower price.",
                    ],
                ),
                (
                    "When a discount is the only way",
                    [
                        "Discounts above ten percent need the sales manager's approval; "
                        "ask for a longer contract in return."
                    ],
                ),
            ],
        ),
        (
            "FAQ",
            "We already have a supplier",
            "When the customer is happy with a competitor.",
            [
                (
                    "Approach",
                    [
                        "Do not criticise the competitor. Ask what they would improve if they could change one thing.",
                        "Offer a side-by-side comparison on that one point.",
                    ],
                ),
            ],
        ),
        (
            "FAQ",
            "Send me some information by email",
            "Turning the brush-off into a meeting.",
            [
                (
                    "Answer",
                    [
                        "Agree, then ask what the information should cover so that it is worth reading.",
                        "Propose fifteen minutes to go through it together.",
                    ],
                ),
            ],
        ),
        (
            "FAQ",
            "Not the right time",
            "When the customer wants to wait until next quarter.",
            [
                ("Questions", ["* What happens between now and then?", "* What would make it the right time?"]),
                ("Next step", ["Schedule a task for the date they name and say you will call then."]),
            ],
        ),
    ],
    ("Sales", "Processes"): [
        (
            "Rules and regulations",
            "Discount approval rules",
            "Who approves which discount, and how fast.",
            [
                (
                    "Limits",
                    [
                        "| Discount | Who approves | How fast",
                        "| Up to 5% | The rep decides | At once",
                        "| 5% to 10% | The team lead | The same day",
                        "| Above 10% | The sales manager | Within one working day",
                    ],
                ),
                (
                    "How to ask",
                    ["Send the order for approval from its page; the approver sees it in the approvals inbox."],
                ),
            ],
        ),
        (
            "Rules and regulations",
            "Qualifying a lead",
            "When a lead becomes an opportunity.",
            [
                ("Criteria", ["* A named decision maker.", "* A need we can meet.", "* A budget or a date."]),
                (
                    "In the CRM",
                    ["Use Qualify on the lead's page: the account, contact and opportunity are made for you."],
                ),
            ],
        ),
        (
            "Instructions",
            "Forecasting at month end",
            "How to keep the pipeline forecast honest.",
            [
                (
                    "Before the 25th",
                    [
                        "Update the stage and the close date of every open opportunity you own.",
                        "Move deals without activity for thirty days to the next month or close them.",
                    ],
                ),
            ],
        ),
        (
            "Templates",
            "Proposal structure",
            "The five parts every commercial proposal has.",
            [
                (
                    "Parts",
                    [
                        "1. The customer's situation in their words.",
                        "2. What we propose.",
                        "3. Plan and dates.",
                        "4. Price and terms.",
                        "5. Next steps.",
                    ],
                ),
            ],
        ),
    ],
    ("Products",): [
        (
            "Product information",
            "CRM Suite: editions compared",
            "Standard, Professional and Enterprise side by side.",
            [
                ("Standard", ["Contacts, accounts, activities and the sales pipeline for teams up to 20 users."]),
                ("Professional", ["Adds approvals, contracts, documents and the knowledge base."]),
                ("Enterprise", ["Adds the system designer, record rights and the API."]),
            ],
        ),
        (
            "Product information",
            "Implementation package",
            "What the four-week implementation includes.",
            [
                (
                    "Weeks",
                    [
                        "* Week 1: workshops and data mapping.",
                        "* Week 2: import and configuration.",
                        "* Week 3: training.",
                        "* Week 4: go-live support.",
                    ],
                ),
            ],
        ),
        (
            "Product information",
            "Support plans",
            "Basic, Extended and Premium support.",
            [
                (
                    "Response times",
                    ["* Basic: next working day.", "* Extended: four hours.", "* Premium: one hour, around the clock."],
                ),
            ],
        ),
        (
            "Product information",
            "Training courses",
            "Courses for users and administrators.",
            [
                ("Courses", ["* Users: one day, online or on site.", "* Administrators: two days, on site."]),
            ],
        ),
    ],
    ("Products", "FAQ"): [
        (
            "FAQ",
            "Can we import our data from spreadsheets?",
            "Yes: Excel and CSV, with a dry run first.",
            [
                (
                    "Answer",
                    [
                        "Every section imports Excel and CSV files. The import checks every row first and shows "
                        "the errors before anything is written."
                    ],
                ),
            ],
        ),
        (
            "FAQ",
            "Where is our data hosted?",
            "In the EU, in two data centres.",
            [
                ("Answer", ["Production runs in Frankfurt with a replica in Amsterdam; backups are kept for 30 days."]),
            ],
        ),
        (
            "FAQ",
            "Does it work on phones?",
            "Yes, in the browser; offline reading is coming.",
            [
                ("Answer", ["Every page works on a phone's browser. The installable application is on the roadmap."]),
            ],
        ),
        (
            "FAQ",
            "How are permissions set?",
            "Roles, object rights, record rights and column rights.",
            [
                (
                    "Answer",
                    [
                        "Administrators give rights to roles: what a role may read, create, edit and delete in each "
                        "section, which records and which columns."
                    ],
                ),
            ],
        ),
        (
            "FAQ",
            "Can we cancel the subscription?",
            "At the end of any contract year.",
            [
                ("Answer", ["Give notice 60 days before the end of the contract year. Your data is exported for you."]),
            ],
        ),
    ],
    ("Company", "Regulations"): [
        (
            "Rules and regulations",
            "Travel and expenses policy",
            "Booking trips and claiming expenses.",
            [
                ("Travel", ["Economy class for flights under six hours; book through the travel desk."]),
                ("Expenses", ["Claim within 30 days with the receipt attached to the expense record."]),
            ],
        ),
        (
            "Rules and regulations",
            "Customer data protection",
            "What we may and may not do with personal data.",
            [
                (
                    "Rules",
                    [
                        "* Store personal data only in the CRM, never in personal spreadsheets.",
                        "* Delete a contact's data on request within 30 days.",
                        "* Never send customer lists by email.",
                    ],
                ),
            ],
        ),
        (
            "Rules and regulations",
            "Gifts and hospitality",
            "Accepting and giving gifts.",
            [
                ("Limits", ["Gifts above 50 EUR are declared to the compliance officer; cash is never accepted."]),
            ],
        ),
        (
            "Rules and regulations",
            "Working hours and overtime",
            "Core hours, flexible time and overtime.",
            [
                ("Core hours", ["From 10:00 to 15:00; the rest of the day is flexible."]),
            ],
        ),
    ],
    ("Company", "Templates"): [
        (
            "Templates",
            "Meeting follow-up email",
            "The email to send after every customer meeting.",
            [
                (
                    "Structure",
                    [
                        "* Thank them for their time.",
                        "* Sum up what was agreed.",
                        "* Name the next step, its owner and its date.",
                    ],
                ),
            ],
        ),
        (
            "Templates",
            "Quarterly business review agenda",
            "Reviewing the account with a key customer.",
            [
                (
                    "Agenda",
                    [
                        "1. Results of the quarter.",
                        "2. Open issues.",
                        "3. Plans for the next quarter.",
                        "4. Feedback on our service.",
                    ],
                ),
            ],
        ),
        (
            "Templates",
            "Reference request",
            "Asking a happy customer to be a reference.",
            [
                (
                    "Email",
                    [
                        "Ask after a success they told you about, name what a call would take (fifteen minutes), "
                        "and let them choose who may call."
                    ],
                ),
            ],
        ),
        (
            "Templates",
            "Handover note to customer service",
            "What the service team needs when a deal is won.",
            [
                ("Contents", ["* Contacts and their roles.", "* What was promised and by when.", "* Open risks."]),
            ],
        ),
    ],
    ("Company", "New employees"): [
        (
            "Instructions",
            "Your first week in sales",
            "A checklist for new sales reps.",
            [
                (
                    "Checklist",
                    [
                        "* Get your CRM login and set your password.",
                        "* Shadow three calls.",
                        "* Read the call scripts and the objection handling articles.",
                        "* Book your product training.",
                    ],
                ),
            ],
        ),
        (
            "Instructions",
            "Setting up email and calendar",
            "Connecting your mailbox to the CRM.",
            [
                ("Steps", ["1. Open your profile.", "2. Add the mailbox.", "3. Choose which folders to synchronise."]),
            ],
        ),
        (
            "Other",
            "Who to ask",
            "The people behind each topic.",
            [
                (
                    "Contacts",
                    [
                        "* Prices and discounts: the sales manager.",
                        "* Contracts: the legal team.",
                        "* CRM questions: the administrator.",
                    ],
                ),
            ],
        ),
    ],
}

#: group -> the corporate tags of its articles; article name -> more of them (name, colour: crm.sections.Tag.Colour)
TAGS_BY_GROUP = {
    ("Sales", "Call scripts"): ["Phone", "Prospecting"],
    ("Sales", "Objection handling"): ["Objections"],
    ("Sales", "Processes"): ["Pipeline"],
    ("Products",): ["Product sheet"],
    ("Products", "FAQ"): ["Customer questions"],
    ("Company", "Regulations"): ["Policy"],
    ("Company", "Templates"): ["Templates"],
    ("Company", "New employees"): ["Onboarding"],
}
TAGS_BY_NAME = {
    "Discount approval rules": ["Pricing"],
    "The price is too high": ["Pricing"],
    "CRM Suite: editions compared": ["Pricing"],
}
TAG_COLOURS = {"Pricing": "red", "Onboarding": "green", "Policy": "purple", "Customer questions": "teal"}

#: (article name, its later text's extra paragraph): edited since, so they have two versions
EDITS = {
    "Discount approval rules": "Since March, discounts for public sector customers always need the manager.",
    "The price is too high": "Never offer a discount in the first call; write down the objection instead.",
    "CRM Suite: editions compared": "Enterprise now includes the knowledge base analytics.",
    "First call to a new lead": "Log the call on the lead's page right after hanging up.",
}


def _body(sections: list[tuple[str, list[str]]]) -> str:
    html = []
    for heading, lines in sections:
        html.append(f"<h2>{escape(heading)}</h2>")
        bullets = [line[2:] for line in lines if line.startswith("* ")]
        numbered = [line.split(". ", 1)[1] for line in lines if line[:1].isdigit() and ". " in line[:4]]
        rows = [[cell.strip() for cell in line[2:].split(" | ")] for line in lines if line.startswith("| ")]
        if rows:  # "| a | b" lines: a table whose first row is its header
            head = "".join(f"<th>{escape(cell)}</th>" for cell in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:])
            html.append(f"<table><tbody><tr>{head}</tr>{body}</tbody></table>")
        elif bullets:
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in bullets) + "</ul>")
        elif numbered:
            html.append("<ol>" + "".join(f"<li>{escape(item)}</li>" for item in numbered) + "</ol>")
        else:
            html.extend(f"<p>{escape(line)}</p>" for line in lines)
    return "".join(html)


def already_seeded(context) -> bool:
    from .models import Article

    return Article.objects.filter(custom__demo=MARKER["demo"]).exists()


def _groups() -> dict[tuple[str, ...], object]:
    from .models import ArticleGroup

    groups: dict[tuple[str, ...], object] = {}
    for path in LIBRARY:
        for depth in range(1, len(path) + 1):
            key = path[:depth]
            if key not in groups:
                parent = groups.get(key[:-1]) if depth > 1 else None
                groups[key] = ArticleGroup.objects.get_or_create(
                    name=key[-1], parent=parent, defaults={"position": len(groups)}
                )[0]
    return groups


def seed(context) -> None:
    from crm.sections.details import update_record_fields
    from crm.sections.services import create_record, update_record
    from feed import services as feed_services
    from opportunities.models import Opportunity
    from products.models import Product

    from . import services
    from .models import Article, ArticleType

    section = services.section()
    rng = context.rng
    types = {t.name: t for t in ArticleType.objects.all()}
    groups = _groups()
    authors = [context.users["manager"], *context.sales_users]
    readers = list(context.users.values())
    created = []
    for path, articles in LIBRARY.items():
        for type_name, name, summary, sections in articles:
            author = authors[len(created) % len(authors)]
            data = {"name": name, "type": types[type_name], "group": groups[path], "summary": summary}
            article = create_record(section=section, user=author, data={**data, "body": _body(sections)})
            if name in EDITS:
                editor = context.users["manager"]
                sections = [*sections, ("Update", [EDITS[name]])]
                article = update_record(
                    section=section,
                    user=editor,
                    obj=article,
                    data={"body": _body(sections)},
                    expected_version=article.version,
                )
            for reader in rng.sample(readers, rng.randint(1, len(readers))):
                if reader.pk != author.pk:
                    services.record_feedback(user=reader, article=article, helpful=rng.random() < 0.8)
            created.append(article)
    for article in created:
        Article.objects.filter(pk=article.pk).update(view_count=rng.randint(3, 240))
        update_record_fields(article, {"custom": MARKER}, bump_version=False)
    by_name = {article.name: article for article in created}
    _tag_demo_articles(context, section, created)
    _link_demo_records(context, by_name, Opportunity, Product)
    price = by_name.get("The price is too high")
    if price is not None:
        post = feed_services.post_on_record(
            user=context.users["bob"],
            record=price,
            text="The smaller first phase worked with two customers this month.",
        )
        feed_services.like(user=context.users["alice"], post=post)
    context.created["knowledge articles"] = len(created)


def _link_demo_records(context, by_name: dict, Opportunity, Product) -> None:
    """The presentation material of the demo deals and the product sheets of the demo products."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ArticleLink

    links = []
    opportunity_type = ContentType.objects.get_for_model(Opportunity)
    for opportunity in Opportunity.objects.order_by("pk")[:6]:
        for name in ("CRM Suite: editions compared", "The price is too high"):
            if name in by_name:
                links.append(
                    ArticleLink(article=by_name[name], content_type=opportunity_type, object_id=opportunity.pk)
                )
    product_type = ContentType.objects.get_for_model(Product)
    for product, name in zip(
        Product.objects.order_by("pk")[:4],
        ("Implementation package", "Support plans", "Training courses", "CRM Suite: editions compared"),
        strict=False,
    ):
        links.append(ArticleLink(article=by_name[name], content_type=product_type, object_id=product.pk))
    ArticleLink.objects.bulk_create(links, ignore_conflicts=True)


def _tag_demo_articles(context, section, created: list) -> None:
    """The demo articles' corporate tags (by their group, and a few by name), made by the administrator."""
    from crm.sections import tags

    admin = context.users["admin"]
    chosen: dict[str, list[int]] = {}
    for (path, articles), article_group in zip(LIBRARY.items(), _batches(created), strict=True):
        for (_type, name, _summary, _sections), article in zip(articles, article_group, strict=True):
            for tag_name in [*TAGS_BY_GROUP.get(path, []), *TAGS_BY_NAME.get(name, [])]:
                chosen.setdefault(tag_name, []).append(article.pk)
    for tag_name, ids in chosen.items():
        tag = tags.create_tag(
            user=admin, section=section, name=tag_name, colour=TAG_COLOURS.get(tag_name, "blue"), corporate=True
        )
        tags.add_tags(user=admin, section=section, ids=ids, tags=[tag])


def _batches(created: list) -> list[list]:
    """`created` cut as LIBRARY's groups hold them."""
    batches, start = [], 0
    for articles in LIBRARY.values():
        batches.append(created[start : start + len(articles)])
        start += len(articles)
    return batches
