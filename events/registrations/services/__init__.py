"""Every write to registrations goes through these modules, one per business process
(as in pretix): booking, capacity and the waiting list, staff actions, retention
and GDPR, the e-mail outbox. Read queries are in `events.registrations.selectors`."""
