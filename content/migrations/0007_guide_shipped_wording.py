"""Gives the rows of the shipped comparison the guide's wording on sites that loaded them before the guide existed.

`load_content` without --replace never touches an existing row, so without this the guide would have no
questions there until an editor wrote them. Only empty wording is filled: an editor's own is kept.
"""

from django.db import migrations

SHIPPED_WORDING = {
    "nature-of-work": (
        "What does the work mostly consist of?",
        {
            "bpo": "The same steps again and again, following a set process",
            "kpo": "Working problems out with knowledge and analysis",
        },
    ),
    "skill-level": (
        "What skill does the work need?",
        {
            "bpo": "Solid general skills that on-the-job training can teach",
            "kpo": "Specialist expertise, often from a degree or professional training",
        },
    ),
    "decision-making": (
        "Who makes the decisions while the work is done?",
        {
            "bpo": "The people doing it follow set rules and pass anything unusual on",
            "kpo": "The people doing it weigh evidence, solve problems and make judgment calls",
        },
    ),
    "technology": (
        "What technology does the work rely on?",
        {
            "bpo": "Standard tools such as office software, a ticketing or a phone system",
            "kpo": "Advanced tools such as data analytics software or AI",
        },
    ),
}


def fill_empty_wording(apps, schema_editor):
    ComparisonDimension = apps.get_model("content", "ComparisonDimension")
    ComparisonValue = apps.get_model("content", "ComparisonValue")
    for slug, (question, answers) in SHIPPED_WORDING.items():
        ComparisonDimension.objects.filter(slug=slug, guide_question="").update(guide_question=question)
        for model, answer in answers.items():
            ComparisonValue.objects.filter(
                dimension__slug=slug, outsourcing_model__slug=model, guide_answer=""
            ).update(guide_answer=answer)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_guide_questions"),
    ]

    operations = [migrations.RunPython(fill_empty_wording, migrations.RunPython.noop)]
