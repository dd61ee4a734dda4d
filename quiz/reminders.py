"""The calendar reminder of a review: an iCalendar file (RFC 5545) with one all-day event."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT_ID = "-//Outsourcing Explained//Quiz review//EN"


def review_reminder(plan, review_url, due_at):
    """The file's bytes: an event on the day ``due_at`` falls on, linking to the review."""
    day = timezone.localdate(due_at)
    event = Event()
    event.add("uid", f"review-{plan.pk}-{day:%Y%m%d}@outsourcing-explained")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Review what you missed: {plan.quiz.title}")
    event.add("description", f"Some facts are due for review today. Open your review: {review_url}")
    event.add("url", review_url)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()
