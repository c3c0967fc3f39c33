"""Directory pages: the live search, organisations, listings, and a member's listings."""
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.accounts.auth import admin_required, publisher_required
from portal.directory import access as guards, queries, services, spelling, template_filters
from portal.directory.forms import ActionForm, ListingForm, OrganisationFilterForm, OrganisationForm, SearchForm
from portal.directory.models import Listing
from portal.directory.search import SearchQuery, search_listings
from portal.extensions import db
from portal.forms import create_once
from portal.htmx import go, is_htmx, render
from portal.i18n import format_day
from portal.links import local_path
from portal.security import access, admitted

bp = Blueprint("directory", __name__)
template_filters.register(bp)

MAX_PAGE = 500  # deeper pages are refined, not paged (OFFSET grows costly)


def page_arg():
    page = request.args.get("page", "1")
    return min(int(page), MAX_PAGE) if page.isdigit() and int(page) > 0 else 1


def page_url(endpoint, page, **values):
    """The current URL's query with another page number."""
    args = request.args.to_dict(flat=False)
    args["page"] = page
    return url_for(endpoint, **values, **args)


SEARCH_DEFAULTS = {"sort": "relevance", "page": "1"}


def canonical_search_url(page, **changed):
    """The search URL of the page shown, with only the parameters that change the result (no
    `kind=&sector=`); `changed` gives some of them other values."""
    args = [(name, changed.pop(name, value)) for name, value in request.args.items(multi=True) if name != "page"]
    args += list(changed.items()) + [("page", str(page))]
    args = [(name, value) for name, value in args if value.strip() and SEARCH_DEFAULTS.get(name) != value]
    return url_for("directory.search") + (f"?{urlencode(args)}" if args else "")


@bp.get("/directory")
@access("public")
def search():
    form = SearchForm(request.args, clusters=queries.cluster_choices, countries=queries.countries_in_use)
    form.validate()
    value = form.valid_value
    query = SearchQuery(
        text=value("q") or "", kind=value("kind"), sector=value("sector"),
        trl_min=value("trl_min"), trl_max=value("trl_max"),
        country=value("country"), organisation_kind=value("organisation_kind"),
        special_guests=bool(value("special_guests")), cluster=value("cluster"),
        show_expired=bool(value("show_expired")), sort=value("sort") or "relevance",
        page=page_arg(), page_size=current_app.config["PAGE_SIZE"])
    result = search_listings(query)
    if not result.items and result.page > result.pages:
        # Past the end (an old link, a typed URL): the last page, as a paginator does.
        result = search_listings(replace(query, page=result.pages))
    filters_open = any(value and name not in ("q", "page") for name, value in request.args.items())
    suggestion = spelling.correction(query) if not result.total and result.terms else None
    response = render("directory/search.html", "directory/_results.html", form=form, result=result,
                      suggestion=suggestion and (suggestion, canonical_search_url(1, q=suggestion)),
                      kind=query.kind, filters_open=filters_open, page_url=lambda n: page_url("directory.search", n),
                      oob=is_htmx() and ("trl_min" in request.args or "trl_max" in request.args))
    if is_htmx():
        # htmx 4 pushes this instead of the form's every field, empty ones included.
        response.headers["HX-Push-Url"] = canonical_search_url(result.page)
    return response


@bp.get("/organisations")
@access("public")
def organisations():
    form = OrganisationFilterForm(request.args, clusters=queries.cluster_choices,
                                  countries=queries.countries_in_use)
    form.validate()
    value = form.valid_value
    found = queries.organisations(name=value("name"), kind=value("kind"), country=value("country"),
                                  special_guests=bool(value("special_guests")), cluster=value("cluster"),
                                  page=page_arg(), page_size=current_app.config["PAGE_SIZE"])
    return render("directory/organisations.html", "directory/_organisation_list.html", form=form,
                  organisations=found.rows, total=found.total, page_number=found.number, pages=found.pages,
                  page_url=lambda n: page_url("directory.organisations", n))


@bp.route("/organisations/new", methods=["GET", "POST"])
@access("admin")
@admin_required
def new_organisation():
    form = OrganisationForm(admin=True)
    if form.validate_on_submit():
        organisation = services.create_organisation(form.data_for_service())
        db.session.commit()
        flash(_("Organisation created."), "success")
        return go(url_for("directory.organisation", uid=organisation.uid))
    return render("directory/organisation_form.html", "directory/_organisation_form.html",
                  status=422 if form.errors else 200, form=form, organisation=None,
                  action=url_for("directory.new_organisation"))


@bp.get("/organisations/<uid>")
@access("public")
def organisation(uid):
    organisation = guards.get_organisation_or_404(uid)
    return render_template(
        "directory/organisation.html", organisation=organisation,
        listings=queries.organisation_listings(uid), people=queries.public_people(uid, admitted("publisher")),
        can_edit=guards.can_edit_organisation(organisation),
        can_add_listing=guards.can_create_listing_for(organisation),
        home_url=queries.home_url(organisation, url_for("directory.organisation", uid=uid)))


@bp.route("/organisations/<uid>/edit", methods=["GET", "POST"])
@access("owner")
@publisher_required
def edit_organisation(uid):
    organisation = guards.get_organisation_or_404(uid, editable=True)
    form = OrganisationForm(obj=organisation, admin=current_user.is_admin)
    if form.validate_on_submit():
        services.update_organisation(organisation, form.data_for_service())
        db.session.commit()
        flash(_("Organisation saved."), "success")
        return go(url_for("directory.organisation", uid=uid))
    return render("directory/organisation_form.html", "directory/_organisation_form.html",
                  status=422 if form.errors else 200, form=form, organisation=organisation,
                  action=url_for("directory.edit_organisation", uid=uid))


@bp.get("/listings/<uid>")
@access("public")
def listing(uid):
    listing = guards.get_listing_or_404(uid)
    can_edit = guards.can_edit_listing(listing)
    contact = queries.public_person(listing.person, admitted("publisher"))
    return render_template(
        "directory/listing.html", listing=listing, can_edit=can_edit, action_form=ActionForm(), contact=contact,
        # Its editors are told who does not see the contact they chose (else it reads as shown to all).
        unshared_contact=listing.person if can_edit and listing.person and not queries.public_person(listing.person)
        else None,
        contact_is_me=can_edit and listing.person_uid is not None and listing.person_uid == current_user.person_uid,
        former_partner=queries.former_partner(listing),
        home_url=queries.home_url(listing, url_for("directory.listing", uid=uid)))


@bp.route("/listings/new", methods=["GET", "POST"])
@access("owner")
@publisher_required
def new_listing():
    organisation_uid = request.args.get("organisation") or current_user.organisation_uid
    if not organisation_uid:
        abort(403, _("Your account is not attached to an organisation."))
    organisation = guards.get_organisation_or_404(organisation_uid, editable=True)
    if not guards.can_create_listing_for(organisation):
        abort(409, _("%(name)s awaits the approval of its member's account: approve the member first, then add its "
                     "offers and needs.", name=organisation.name))
    people = queries.organisation_people(organisation.uid)
    # A new listing is valid as long as a renewed one, its owner reminded before it leaves the
    # directory (they may clear the date: it then never expires).
    valid_until = date.today() + timedelta(days=current_app.config["LISTING_RENEW_DAYS"])
    form = ListingForm(people=people, person_uid=current_user.person_uid, valid_until=valid_until)
    if form.validate_on_submit():
        listing, made = create_once(Listing, form.key.data,
                                    lambda uid: services.create_listing(organisation.uid, form.data_for_service(), uid))
        if made:  # not again for the same form sent twice
            flash(_("Listing published."), "success")
        return go(url_for("directory.listing", uid=listing.uid))
    return render("directory/listing_form.html", "directory/_listing_form.html",
                  status=422 if form.errors else 200, form=form, listing=None, organisation=organisation,
                  action=url_for("directory.new_listing", organisation=organisation.uid))


@bp.route("/listings/<uid>/edit", methods=["GET", "POST"])
@access("owner")
@publisher_required
def edit_listing(uid):
    listing = guards.get_listing_or_404(uid, editable=True)
    form = ListingForm(obj=listing, people=queries.organisation_people(listing.organisation_uid))
    if form.validate_on_submit():
        services.update_listing(listing, form.data_for_service())
        db.session.commit()
        flash(_("Listing saved."), "success")
        return go(url_for("directory.listing", uid=uid))
    return render("directory/listing_form.html", "directory/_listing_form.html",
                  status=422 if form.errors else 200, form=form, listing=listing,
                  organisation=listing.organisation, action=url_for("directory.edit_listing", uid=uid))


def _listing_action(uid, operation, message):
    """`message`: the flash, or a function of the listing that gives it."""
    listing = guards.get_listing_or_404(uid, editable=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    operation(listing)
    db.session.commit()
    flash(message(listing) if callable(message) else message, "success")
    return redirect(request.form.get("next") if local_path(request.form.get("next"))
                    else url_for("directory.listing", uid=uid), 303)


@bp.post("/listings/<uid>/close")
@access("owner")
@publisher_required
def close_listing(uid):
    return _listing_action(uid, services.close_listing, _("Listing closed: it no longer shows in the directory."))


@bp.post("/listings/<uid>/reopen")
@access("owner")
@publisher_required
def reopen_listing(uid):
    return _listing_action(uid, services.reopen_listing, reopened)


def reopened(listing):
    if listing.is_expired:  # open again, yet hidden from the directory until renewed
        return _("Listing reopened, but it expired on %(date)s: renew it to show it in the directory.",
                 date=format_day(listing.valid_until, "long"))
    return _("Listing reopened.")


@bp.post("/listings/<uid>/renew")
@access("owner")
@publisher_required
def renew_listing(uid):
    days = current_app.config["LISTING_RENEW_DAYS"]
    return _listing_action(uid, lambda listing: services.renew_listing(listing, days),
                           _("Listing renewed for %(days)d days.", days=days))


@bp.post("/listings/<uid>/delete")
@access("owner")
@publisher_required
def delete_listing(uid):
    listing = guards.get_listing_or_404(uid, editable=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    organisation_uid = listing.organisation_uid
    services.delete_listing(listing)
    db.session.commit()
    flash(_("Listing deleted."), "success")
    return redirect(url_for("directory.organisation", uid=organisation_uid), 303)


@bp.get("/account/listings")
@access("member")
@login_required
def my_listings():
    organisation_uid = current_user.organisation_uid
    listings = queries.organisation_listings(organisation_uid, include_closed=True, include_expired=True) \
        if organisation_uid else []
    return render_template("directory/my_listings.html", listings=listings,
                           organisation=guards.get_organisation_or_404(organisation_uid) if organisation_uid else None,
                           action_form=ActionForm(), can_publish=current_user.can_publish,
                           awaiting_approval=current_user.status == "pending")
