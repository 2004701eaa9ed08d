"""Administration of the feed: channels and their members (the only way into a private channel), and
moderation of posts and comments."""

from django.contrib import admin

from .models import Channel, Comment, Post, Subscription


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "is_public", "description", "created_at")
    list_filter = ("is_public",)
    search_fields = ("name", "description")
    inlines = (SubscriptionInline,)


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    fields = ("author", "text", "created_at")
    readonly_fields = ("author", "text", "created_at")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "channel", "content_type", "object_id", "created_at")
    list_filter = ("channel", "content_type")
    list_select_related = ("author", "channel", "content_type")
    search_fields = ("text", "author__username")
    readonly_fields = ("author", "text", "rendered_html", "channel", "content_type", "object_id", "created_at")
    inlines = (CommentInline,)

    def has_add_permission(self, request):
        return False  # posts are written through the feed, which renders and sanitises them
