from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import TextInput

TARGET_MAX = 100_000


class TargetField(IntegerField):
    # A text box with a number keyboard (GOV.UK): type="number" drops what it cannot read.
    widget = TextInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            # WTForms shows a ValueError raised here as the field's error: the user's own input.
            raise ValueError(_l("Vul een heel getal in, of laat het veld leeg.")) from None


def _target_field(label, description=None):
    return TargetField(label, description=description, validators=[
        Optional(),
        NumberRange(min=0, max=TARGET_MAX, message=_l("Kies een getal van 0 tot en met 100000.")),
    ])


def targets_form_for(project, **kwargs) -> FlaskForm:
    """A form with the project's target and one target field per location."""

    class TargetsForm(FlaskForm):
        total = _target_field(_l("Doel voor het hele onderzoek"),
                              _l("Hoeveel interviews willen we in totaal? Laat leeg als er geen doel is."))

    for location in project.locations:
        # _() now, not _l(): a lazy string counts as safe HTML, so the location's name would go
        # into the label unescaped.
        setattr(TargetsForm, f"location_{location.id}",
                _target_field(_("Doel voor %(name)s", name=location.name)))
    form = TargetsForm(**kwargs)
    if not form.is_submitted():
        form.total.data = project.interview_target
        for location in project.locations:
            form[f"location_{location.id}"].data = location.interview_target
    return form


def location_fields(form, project):
    return [(location, form[f"location_{location.id}"]) for location in project.locations]
