"""Signals the editorial toolkit sends for writes that Django's model signals do not announce."""

from django.dispatch import Signal

# Sent by the model's class after a drag-and-drop in an admin list renumbered ``rows`` with one bulk update.
rows_reordered = Signal()
