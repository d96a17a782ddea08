"""The API's views, one module per resource; ``api.urls`` wires them.

Everything about one journey lives under /api/journeys/<slug>/. Each journey-scoped view
lists the roles that may read it (``read_roles``) and write it (``write_roles``, or
``action_roles`` for one action); ``JourneyRolePermission`` enforces them and the schema
describes them from the same sets. Querysets hold only what the visitor may see, so any
other id answers 404.

``base``: the shared machinery; ``journeys``, ``routes``, ``stops`` (with activities and
legs), ``people`` (lodging, vehicles, participants, seats, beds), ``hosts``, ``problems``,
``exports`` and ``me`` (the signed-in user, their itinerary and token).
"""
