"""Draw `sample.png`, the picture chapter 7 augments (run once; the PNG is committed).

A 96x96 RGB scene with no symmetry - sky gradient, ground, a house with its
door on the right, a tree on the left, the sun in the top-right corner - so that
every flip, rotation, shift, shear, zoom and colour change is easy to see.
"""
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SIZE = 96


def draw():
    rows = np.linspace(0.0, 1.0, SIZE)[:, None, None]
    sky = (1 - rows) * np.array([70, 130, 220]) + rows * np.array([190, 225, 250])
    pixels = np.broadcast_to(sky, (SIZE, SIZE, 3)).astype(np.uint8)
    img = Image.fromarray(np.ascontiguousarray(pixels), "RGB")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 70, SIZE, SIZE], fill=(70, 160, 60))                  # ground
    d.ellipse([66, 6, 88, 28], fill=(250, 210, 40))                      # sun, top right
    d.rectangle([34, 44, 70, 72], fill=(200, 50, 40))                    # house
    d.polygon([(30, 46), (52, 24), (74, 46)], fill=(120, 40, 30))        # roof
    d.rectangle([58, 56, 66, 72], fill=(90, 60, 30))                     # door, right side
    d.rectangle([39, 50, 49, 58], fill=(240, 240, 200))                  # window
    d.rectangle([12, 54, 16, 74], fill=(100, 70, 40))                    # tree trunk
    d.ellipse([4, 36, 24, 58], fill=(30, 110, 40))                       # tree crown
    return img


if __name__ == "__main__":
    out = Path(__file__).with_name("sample.png")
    draw().save(out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
