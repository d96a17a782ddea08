"""The coordinators' pages, one module per area (``urls.py`` names each view by its module).

``base``       the login check and finding the journey (``journey.change``) and a route
``journeys``   the coordinator's journeys and each journey's dashboard
``route``      a route's stops and their order; one stop's details
``people``     participants: list, record, seats and beds
``hosts``      host applications: queue and review
``exports``    the confidential CSV lists and the riders' notifications
``history``    who changed what in the plan
"""
