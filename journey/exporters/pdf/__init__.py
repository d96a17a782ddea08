"""PDF documents: the journey booklet, the personal itinerary, the host's day sheet,
the rooming list and the vehicle manifest (see docs/exports.md).

``base`` owns the font, the page, the header and the footer; each module here
builds one document's content from ``journey.itinerary`` data.
"""
