"""Setting up a project: a person's roles, a new account made from the project, locations
renamed and archived. Project staff only; staff of another project get 403 (the project is
not theirs), clients too.

The walk posts only a CSRF token: petra's roles page then asks first (200: no roles would
take her panel role away, nothing changes until confirmed); a new account without fields is
422; a location without a name is 422; archiving without saying which way changes nothing (303)."""
from .roles import PROJECT_STAFF

ACCESS = {
    "projects.member_roles": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
    "projects.new_member": {"POST": PROJECT_STAFF},
    "projects.edit_location": {"GET": PROJECT_STAFF, "POST": PROJECT_STAFF},
    "projects.archive_location": {"POST": PROJECT_STAFF},
}


def url_values(app, world) -> dict:
    return {"location_id": world.location_ids[0]}
