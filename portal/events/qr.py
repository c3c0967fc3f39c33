"""QR codes as SVG files: the poster's, to the event page, and each badge's, to its door page."""
import io

import segno
from flask import Response


def qr_response(url, cache_control):
    code = segno.make(url, error="m")
    svg = io.BytesIO()
    # A file of its own, with the SVG namespace: without it (svg_inline) an <img> draws nothing.
    code.save(svg, kind="svg", scale=6, border=2, xmldecl=False)
    return Response(svg.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": cache_control})
