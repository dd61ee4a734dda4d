"""Taking the shipped quiz through the test client, the way a reader's browser does."""

from quiz.models import Attempt, Question

QUIZ_SLUG = "bpo-or-kpo"


def start(client, slug=QUIZ_SLUG):
    response = client.post(f"/quiz/{slug}/start/")
    assert response.status_code == 302
    return Attempt.objects.get(public_id=response.url.split("/")[3])


def question_at(attempt, number):
    return Question.objects.get(pk=attempt.question_id_at(number))


def picks(attempt, number, right):
    """The form values a reader would tick to answer question ``number`` right or wrong."""
    places = list(enumerate(attempt.ordered_choices(question_at(attempt, number)), start=1))
    if right:
        return [str(place) for place, choice in places if choice.correct]
    return [str(next(place for place, choice in places if not choice.correct))]


def answer_form(attempt, number, right=True, certainty="low"):
    """The form a reader sends to answer question ``number``, with a certainty when the attempt asks for one."""
    form = {"choice": picks(attempt, number, right)}
    return {**form, "certainty": certainty} if attempt.certainty_based_marking else form


def answer(client, attempt, number, right=True, certainty="low", **extra):
    return client.post(attempt.question_url(number), answer_form(attempt, number, right, certainty), **extra)


def answer_first(client, question):
    """Start an attempt whose first question is ``question``, and answer it right."""
    attempt = start(client)
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()
    answer(client, attempt, 1)
