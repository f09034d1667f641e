from tremplin.accounts.models import User

from .models import CV
from .schema import CVData


def cv_of(*, learner: User) -> CV | None:
    """A learner's own CV: nobody else's CV is ever looked up from a request."""
    return CV.objects.filter(learner=learner).first()


def cv_data(cv: CV | None) -> CVData:
    return CVData.model_validate(cv.data) if cv is not None else CVData()
