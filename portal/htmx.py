"""htmx helpers: one URL serves the full page, or its fragment to htmx."""
from flask import make_response, redirect, render_template, request


def is_htmx():
    """An htmx request that wants a fragment (not a history restore or a full swap)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Request-Type") != "full"
    )


def render(page, fragment, status=200, **context):
    """Render `fragment` for htmx and `page` (which includes it) otherwise."""
    response = make_response(render_template(fragment if is_htmx() else page, **context), status)
    response.vary.add("HX-Request")
    return response


def go(url):
    """After a form: a browser gets a 303 (See Other, fetched with GET); htmx gets HX-Redirect
    instead, since fetch would follow the redirect and swap the page it leads to into the form."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)
