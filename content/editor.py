"""The endpoints behind the admin's Markdown editor: live preview and image upload.

They replace django-markdownx's own views, which check no permission: only active staff get through,
and the preview is rendered by the site's one sanitizing renderer.
"""

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_POST

from .images import RejectedImage, store_markdown_image
from .markdown import render_markdown

SIGN_IN = "Sign in to the admin as an editor to use the Markdown editor."
ALT_LENGTH = 250
NO_ALT = (
    "Describe the image for readers who cannot see it (its alt text), or tick “Decorative” if it adds nothing they "
    "need. Nothing was uploaded."
)
ALT_AND_DECORATIVE = (
    "A decorative image has no description: clear the alt text or untick “Decorative”. Nothing was uploaded."
)
ALT_TOO_LONG = f"Keep the alt text to {ALT_LENGTH} characters or fewer; say more in the text. Nothing was uploaded."


def active_staff_only(json=False):
    """Refuse (403) anyone but an active staff member, as JSON or as text the preview pane can show."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.user.is_active and request.user.is_staff):
                if json:
                    return JsonResponse({"error": SIGN_IN}, status=403)
                return HttpResponseForbidden(SIGN_IN, content_type="text/plain; charset=utf-8")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@require_POST
@active_staff_only()
def markdown_preview(request):
    if "content" not in request.POST:
        return HttpResponseBadRequest(
            "Send the Markdown to preview in the “content” field.", content_type="text/plain; charset=utf-8"
        )
    try:
        html = render_markdown(request.POST["content"])
    except ValidationError as refusal:
        # The editor's script puts the answer into the preview pane whatever its status: the reason shows there.
        return HttpResponseBadRequest(" ".join(refusal.messages), content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


@require_POST
@active_staff_only(json=True)
def image_upload(request):
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "Choose an image file to upload."}, status=400)
    alt, refusal = described(request.POST)
    if refusal:
        return JsonResponse({"error": refusal}, status=400)
    try:
        markdown = store_markdown_image(upload, alt)
    except RejectedImage as rejection:
        return JsonResponse({"error": rejection.message}, status=400)
    return JsonResponse({"image_code": markdown})


def described(posted):
    """(alt text, refusal): an image needs alt text, or an explicit “decorative” (checkbox value “on”) and none."""
    alt = " ".join(posted.get("alt", "").split())
    decorative = posted.get("decorative") == "on"
    if not alt and not decorative:
        return "", NO_ALT
    if alt and decorative:
        return "", ALT_AND_DECORATIVE
    if len(alt) > ALT_LENGTH:
        return "", ALT_TOO_LONG
    return alt, ""
