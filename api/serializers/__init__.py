"""The API's serializers, one module per resource (as ``api.views``).

``base``: the serializer fields shared by the API and ``CleanModelSerializer``, the one path
for writes; ``journeys``, ``routes``, ``stops`` (with activities and legs), ``people``
(lodging, vehicles, participants, seats, beds), ``hosts``, ``problems``, ``exports``, ``me``
(the signed-in user and tokens); ``itinerary`` and ``planning`` write out the data classes
of journey.itinerary and journey.planning.
"""
