"""A phone photo of a printed sheet, simulated: how a citizen's cheap phone sees a wall poster from about
1.5 m. The sheet is scaled to `height` pixels, turned 3°, seen at a slant (the top edge 6 % narrower than
the bottom, the phone held below the sheet's middle), blurred (Gaussian σ 1 px) and saved as a JPEG of
quality 50."""

from io import BytesIO

from PIL import Image, ImageFilter

ROTATION_DEGREES = 3
SLANT = 0.03  # each side of the top edge moves in by 3 % of the width
BLUR_SIGMA = 1
JPEG_QUALITY = 50


def _solve(matrix: list[list[float]], values: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 × 8: no numpy needed)."""
    n = len(values)
    rows = [row[:] + [value] for row, value in zip(matrix, values, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _perspective(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping each output corner (target) to an input corner (source)."""
    matrix, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return _solve(matrix, values)


def phone_photo(sheet: Image.Image, *, height: int) -> Image.Image:
    image = sheet.convert("L")
    image = image.resize((round(image.width * height / image.height), height), Image.LANCZOS)
    image = image.rotate(ROTATION_DEGREES, resample=Image.BICUBIC, expand=True, fillcolor=255)
    width, tall = image.size
    inset = SLANT * width
    # The output's top corners show the sheet's full top edge squeezed inwards: a farther, narrower edge.
    coefficients = _perspective(source=[(0, 0), (width, 0), (width, tall), (0, tall)],
                                target=[(inset, 0), (width - inset, 0), (width, tall), (0, tall)])
    image = image.transform((width, tall), Image.PERSPECTIVE, coefficients, Image.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(BLUR_SIGMA))
    out = BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    out.seek(0)
    return Image.open(out).convert("L")
