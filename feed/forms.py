"""Forms of the feed: the composer and the comment box."""

from django import forms
from django.urls import reverse_lazy

from .models import Channel
from .services import MAX_TEXT


def _text_attrs(**extra) -> dict:
    return {"class": "form-control", "data-mention-url": reverse_lazy("feed:mentions"), "autocomplete": "off", **extra}


class PostForm(forms.Form):
    text = forms.CharField(
        label="Message",
        max_length=MAX_TEXT,
        error_messages={"required": "Write something first."},
        widget=forms.Textarea(
            attrs=_text_attrs(rows=3, placeholder="Share something… (Markdown; type @ to mention a colleague)")
        ),
    )


class ChannelPostForm(PostForm):
    """The composer of the Feed page: a channel must be chosen."""

    channel = forms.ModelChoiceField(
        queryset=Channel.objects.none(),
        empty_label="Choose a channel…",
        error_messages={"required": "Choose a channel.", "invalid_choice": "Choose a channel you may post in."},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels if channels is not None else Channel.objects.none()
        self.order_fields(["channel", "text"])


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", max_length=MAX_TEXT)
