"""The signed-in user: who they are, their own itinerary, and their API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.permissions import method_is_served
from api.serializers.itinerary import ItinerarySerializer
from api.serializers.me import MeSerializer, TokenRequestSerializer, TokenSerializer
from api.views.base import AnonymousPostThrottle, CaravanaApiMixin
from caravana import throttle
from journey.access import accesses_for_user, visible_journeys
from journey.itinerary import Audience, build_itinerary
from journey.plan import load_plan
from participants.models import Participant


class IsSignedIn(BasePermission):
    def has_permission(self, request, view):
        if not method_is_served(request, view):
            return True  # 405 follows
        if request.user and request.user.is_authenticated:
            return True
        raise exceptions.NotAuthenticated()


class SignedInView(CaravanaApiMixin, APIView):
    """A view about the signed-in user."""

    schema_tag = "me"
    permission_classes = [IsSignedIn]
    extra_errors: tuple[str, ...] = ()

    def permission_description(self, method, action):
        return str(_("any signed-in user (about themselves)."))

    def error_statuses(self, method, action):
        return ["401", "403", *self.extra_errors]


class MeView(SignedInView):
    @extend_schema(summary=_("Who you are, and your journeys"), responses=MeSerializer)
    def get(self, request):
        """The journeys you coordinate, ride or host, with your role in each."""
        user = request.user
        journeys = list(visible_journeys(user))
        accesses = accesses_for_user(user, journeys)
        mine = [j for j in journeys if accesses[j.pk].is_member]
        data = {
            "username": user.get_username(),
            "journeys": [
                {
                    "slug": j.slug,
                    "name": j.name,
                    "role": accesses[j.pk].role.value,
                    "participant_ids": sorted(accesses[j.pk].participant_ids),
                    "hosted_stop_ids": sorted(accesses[j.pk].hosted_stop_ids),
                }
                for j in sorted(mine, key=lambda j: (j.name, j.pk))
            ],
        }
        return Response(MeSerializer(data).data)


class MyItineraryView(SignedInView):
    extra_errors = ("404",)

    @extend_schema(
        summary=_("My itinerary"),
        parameters=[OpenApiParameter("journey", str, description=_("Only this journey (slug)."))],
        responses=ItinerarySerializer(many=True),
    )
    def get(self, request):
        """Your personal itinerary in each journey where you are a participant (segment,
        legs with your vehicle, nights with your bed, activities and coordinators)."""
        records = Participant.objects.filter(user=request.user).select_related("journey")
        slug = request.query_params.get("journey")
        if slug:
            records = records.filter(journey__slug=slug)
        records = list(records.order_by("journey__start_date", "journey_id", "pk"))
        if slug and not records:
            raise exceptions.NotFound()
        plans = {}
        itineraries = []
        for record in records:
            if record.journey_id not in plans:
                plans[record.journey_id] = load_plan(record.journey)
            itineraries.append(
                build_itinerary(
                    plans[record.journey_id], audience=Audience.PERSONAL, participant=record
                )
            )
        return Response(ItinerarySerializer(itineraries, many=True).data)


class TokenView(CaravanaApiMixin, APIView):
    """Your API token: POST to get it (with username and password, or signed in),
    DELETE to revoke it. One token per user; send it as ``Authorization: Token <key>``."""

    schema_tag = "auth"
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousPostThrottle]

    def permission_description(self, method, action):
        if method == "POST":
            return str(_("anyone with a username and password, or a signed-in user."))
        return str(_("the token's owner."))

    def error_statuses(self, method, action):
        if method == "POST":
            return ["400", "401", "403", "429"]
        return ["401", "403"]

    @extend_schema(
        summary=_("Get your token"),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 201: TokenSerializer},
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data.get("username")
        password = body.validated_data.get("password")
        if username is not None or password is not None:
            # Too many failures from this address or for this username: refused unchecked.
            if throttle.login_locked(request._request, username):
                raise exceptions.Throttled(
                    wait=throttle.login_window(), detail=str(throttle.LOGIN_LOCKED)
                )
            user = authenticate(request._request, username=username or "", password=password or "")
            if user is None or not user.is_active:
                raise exceptions.ValidationError(
                    {
                        api_settings.NON_FIELD_ERRORS_KEY: [
                            _("Unable to sign in with these credentials.")
                        ]
                    }
                )
            throttle.forget_failed_logins(user.get_username())
        elif request.user.is_authenticated:
            user = request.user
        else:
            raise exceptions.NotAuthenticated()
        token, created = Token.objects.get_or_create(user=user)
        return Response(
            TokenSerializer({"token": token.key, "created": token.created}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(summary=_("Revoke your token"), request=None, responses={204: None})
    def delete(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
