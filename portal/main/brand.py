"""The cluster's colour as CSS custom properties for Pico, kept readable on white."""
import re

DEFAULT = "#1d4e89"
WHITE = (255, 255, 255)


def parse(colour):
    """(r, g, b) of a #rgb, #rgba, #rrggbb or #rrggbbaa colour (alpha ignored), or None."""
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})", colour or ""):
        return None
    digits = colour[1:]
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits[:3])
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    """WCAG contrast ratio of two (r, g, b) colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darken(rgb, amount):
    return tuple(round(c * (1 - amount)) for c in rgb)


def readable(rgb, minimum=4.5):
    """The colour, darkened just enough to reach `minimum` contrast with white (as text on white and
    as a button behind white text)."""
    while contrast(rgb, WHITE) < minimum:
        rgb = darken(rgb, 0.05)
    return rgb


def _hex(rgb):
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _rgba(rgb, alpha):
    return "rgba({}, {}, {}, {})".format(*rgb, alpha)


def css(colour):
    """The stylesheet: `--brand` for the portal's accents, and every primary variable Pico derives
    (links, buttons, hover, focus, underline). Pico sets its own on `:root:not([data-theme=dark])`,
    so ours carry a more specific selector that wins whatever the order of the stylesheets."""
    rgb = readable(parse(colour) or parse(DEFAULT))
    hover = darken(rgb, 0.2)
    primary = {
        "--pico-primary": _hex(rgb),
        "--pico-primary-background": _hex(rgb),
        "--pico-primary-border": _hex(rgb),
        "--pico-primary-underline": _rgba(rgb, 0.5),
        "--pico-primary-hover": _hex(hover),
        "--pico-primary-hover-background": _hex(hover),
        "--pico-primary-hover-border": _hex(hover),
        "--pico-primary-hover-underline": _hex(hover),
        "--pico-primary-focus": _rgba(rgb, 0.5),
        "--pico-primary-inverse": "#fff",
    }
    declarations = " ".join(f"{name}: {value};" for name, value in primary.items())
    return (f":root {{ --brand: {_hex(rgb)}; }}\n"
            f"html:root:not([data-theme=dark]), html:root[data-theme=light] {{ {declarations} }}\n")
