"""Who may see which provinces (DESIGN §3). Used only through ``ClubQuerySet.for_user``."""


def province_ids_for(user):
    """Return the ids of the new-era provinces ``user`` may reach, or ``None`` for all of them.

    Administrators and steering-board members reach every province (``None``); an officer,
    the provinces assigned to them (a list of ``Province`` ids, possibly empty); an anonymous
    or inactive user, none (``[]``).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser or user.role in ("admin", "board"):
        return None
    cached = getattr(user, "_province_ids", None)
    if cached is None:
        cached = list(user.assignments.values_list("province_id", flat=True))
        user._province_ids = cached
    return cached
