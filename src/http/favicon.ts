/**
 * Parley's icon, drawn in code (no binary file in the tree): a 16×16 speech bubble in the
 * dashboard's accent colour, as a Windows icon (.ico) holding one 32-bit bitmap, the format every
 * browser fetches from /favicon.ico. Without it each page's visit logged a 404.
 */
const SIZE = 16
const ACCENT = [0xb1, 0x71, 0x22] // #2271b1, stored blue, green, red

/** Whether pixel (x, y), y from the top, belongs to the bubble: a rounded box and its tail. */
function inBubble(x: number, y: number): boolean {
  if (y >= 1 && y <= 11 && x >= 1 && x <= 14) {
    const corner = (y === 1 || y === 11) && (x === 1 || x === 14)
    return !corner
  }
  // The tail, below the box on the left.
  return (y === 12 && x >= 3 && x <= 5) || (y === 13 && x >= 3 && x <= 4) || (y === 14 && x === 3)
}

/** Three white lines of "text" inside the bubble. */
const isText = (x: number, y: number) => (y === 4 || y === 6 || y === 8) && x >= 4 && x <= (y === 8 ? 9 : 11)

function icon(): Uint8Array<ArrayBuffer> {
  const pixels = SIZE * SIZE * 4
  const mask = SIZE * 4 // 1 bit a pixel, rows padded to 32 bits; all zero: the alpha channel decides
  const image = 40 + pixels + mask
  const bytes = new Uint8Array(6 + 16 + image)
  const view = new DataView(bytes.buffer)
  // ICONDIR: reserved, type 1 (icon), one image.
  view.setUint16(2, 1, true)
  view.setUint16(4, 1, true)
  // ICONDIRENTRY: 16×16, no palette, 1 plane, 32 bits, size and offset of the image.
  bytes[6] = SIZE
  bytes[7] = SIZE
  view.setUint16(10, 1, true)
  view.setUint16(12, 32, true)
  view.setUint32(14, image, true)
  view.setUint32(18, 22, true)
  // BITMAPINFOHEADER: the height counts the XOR bitmap and the AND mask together.
  view.setUint32(22, 40, true)
  view.setInt32(26, SIZE, true)
  view.setInt32(30, SIZE * 2, true)
  view.setUint16(34, 1, true)
  view.setUint16(36, 32, true)
  view.setUint32(42, pixels + mask, true)
  // Pixels, bottom row first, BGRA.
  for (let row = 0; row < SIZE; row++) {
    const y = SIZE - 1 - row
    for (let x = 0; x < SIZE; x++) {
      const at = 62 + (row * SIZE + x) * 4
      if (!inBubble(x, y)) continue
      const [b, g, r] = isText(x, y) ? [0xff, 0xff, 0xff] : ACCENT
      bytes[at] = b ?? 0
      bytes[at + 1] = g ?? 0
      bytes[at + 2] = r ?? 0
      bytes[at + 3] = 0xff
    }
  }
  return bytes
}

export const FAVICON: Uint8Array<ArrayBuffer> = icon()
