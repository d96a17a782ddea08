"""Telling whether some fields of a row changed since it was read from the database."""

from __future__ import annotations


class RemembersLoadedValues:
    """Model mixin: remembers the values of ``remembered_fields`` as loaded, so a save can
    tell whether they changed (a stop's place: refresh its legs; a seat or bed moved: check
    capacity). A row never loaded (a new one) counts as changed."""

    remembered_fields: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row.remember_loaded_values()
        return row

    def _remembered(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in self.remembered_fields)

    def remember_loaded_values(self) -> None:
        """Take the current values as the stored ones (after a save)."""
        self._loaded_values = self._remembered()

    def changed_since_loaded(self) -> bool:
        return getattr(self, "_loaded_values", None) != self._remembered()
