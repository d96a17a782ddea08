"""The route planner: stop order, daily schedule and driver hours.

The planning itself works on plain data and never touches the database:

* ``data``: the problem (``RouteProblem``: stops in the current order, their windows, stays and
  activities, the day rules) and the travel matrix built once from the coordinates.
* ``order``: ``propose_order(problem) -> OrderProposal``, the order that minimizes driving
  (OR-Tools routing), compared with the current plan; infeasible requests are explained.
* ``schedule``: ``propose_schedule(problem, order) -> Schedule``, departure and arrival times
  for an order, with the days that do not fit flagged.
* ``drivers``: ``propose_drivers(schedule, teams) -> DriverPlan``, who drives which leg (CP-SAT),
  within the hours-of-service limits of ``journey.checks``.

``services`` loads a journey's route into a ``RouteProblem`` in a few queries, runs the three
steps (``plan_route``) and applies an accepted order (``accept_order``). docs/planner.md
explains what is modelled exactly and what is approximated.
"""
