"""Taking the shipped quiz through the test client, the way a reader's browser does."""

from content.models import OutsourcingModel
from quiz.models import Attempt, Question

QUIZ_SLUG = "bpo-or-kpo"
# A quiz whose blueprint draws nothing asks its whole bank.
WHOLE_BANK = {f"{topic}_questions": 0 for topic in Question.Topic.values}


def start(client, slug=QUIZ_SLUG):
    """Start an attempt as a reader does, then swap a choice question (not a sort) into first place, so tests
    that post choices to question 1 need not look at its kind. Sort questions are tested where they put one."""
    response = client.post(f"/quiz/{slug}/start/")
    assert response.status_code == 302
    attempt = Attempt.objects.get(public_id=response.url.split("/")[3])
    sorts = set(
        Question.objects.filter(pk__in=attempt.question_ids, kind=Question.Kind.SORT).values_list("pk", flat=True)
    )
    ids = attempt.question_ids
    if ids and ids[0] in sorts:
        swap = next((number for number, pk in enumerate(ids) if pk not in sorts), None)
        if swap is not None:
            ids[0], ids[swap] = ids[swap], ids[0]
            attempt.save(update_fields=["question_ids"])
    return attempt


def question_at(attempt, number):
    return Question.objects.get(pk=attempt.question_id_at(number))


def picks(attempt, number, right):
    """The form values a reader would tick to answer question ``number`` right or wrong."""
    places = list(enumerate(attempt.ordered_choices(question_at(attempt, number)), start=1))
    if right:
        return [str(place) for place, choice in places if choice.correct]
    return [str(next(place for place, choice in places if not choice.correct))]


def placings(attempt, number, right):
    """The form values placing every row of sort question ``number`` under its model, or every row wrongly."""
    models = list(OutsourcingModel.objects.published())
    rows = attempt.ordered_choices(question_at(attempt, number))
    return {
        f"row-{place}": next(model.slug for model in models if (model.pk == row.placed_under_id) == right)
        for place, row in enumerate(rows, start=1)
    }


def answer_data(attempt, number, right=True, certainty="low"):
    """What a reader's browser posts to answer question ``number`` all right (full marks) or all wrong (none),
    with a certainty when the attempt asks for one."""
    if question_at(attempt, number).is_sort:
        data = placings(attempt, number, right)
    else:
        data = {"choice": picks(attempt, number, right)}
    return {**data, "certainty": certainty} if attempt.certainty_based_marking else data


def answer(client, attempt, number, right=True, certainty="low", **extra):
    return client.post(attempt.question_url(number), answer_data(attempt, number, right, certainty), **extra)


def answer_first(client, question):
    """Start an attempt whose first question is ``question``, and answer it right."""
    attempt = start(client)
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()
    answer(client, attempt, 1)
