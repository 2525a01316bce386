"""Code 128 barcodes (set B) drawn as SVG, for printed labels that a hand scanner reads.

No dependency: the symbology is a table of 107 bar patterns and a modulo-103 check symbol. Output is
vector (one path of bars in a viewBox of modules), so WeasyPrint prints it sharp at any size.
"""

# Widths of bar, space, bar, space, bar, space (the stop symbol has a final bar) for values 0–106.
PATTERNS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213", "221312", "231212",
    "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
    "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
    "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242", "121142", "121241", "114212",
    "124112", "124211", "411212", "421112", "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
    "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)
START_B, STOP = 104, 106
QUIET_ZONE = 10  # modules each side, the symbology's minimum


class BarcodeError(ValueError):
    pass


def code128_values(text: str) -> list[int]:
    """Symbol values for `text` in code set B (printable ASCII), start and check symbols included."""
    if not text or any(not 32 <= ord(c) <= 126 for c in text):
        raise BarcodeError("Code 128 set B encodes printable ASCII only")
    values = [START_B] + [ord(c) - 32 for c in text]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return values + [check, STOP]


def code128_modules(text: str) -> list[bool]:
    """The barcode as a row of modules (True = bar), quiet zones included."""
    row = [False] * QUIET_ZONE
    for value in code128_values(text):
        for index, width in enumerate(PATTERNS[value]):
            row += [index % 2 == 0] * int(width)
    return row + [False] * QUIET_ZONE


def code128_svg(text: str, height: int = 40) -> str:
    """An SVG drawing of the barcode, `height` modules tall, that scales to its printed width."""
    row = code128_modules(text)
    bars, x = [], 0
    while x < len(row):
        if row[x]:
            start = x
            while x < len(row) and row[x]:
                x += 1
            bars.append(f"M{start} 0h{x - start}v{height}h-{x - start}z")
        else:
            x += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {len(row)} {height}" preserveAspectRatio="none" '
            f'shape-rendering="crispEdges"><rect width="{len(row)}" height="{height}" fill="#fff"/>'
            f'<path d="{"".join(bars)}" fill="#000"/></svg>')


def code128_data_uri(text: str, height: int = 40) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(code128_svg(text, height).encode()).decode()
