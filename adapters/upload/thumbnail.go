package upload

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

const (
	// MaxPixels is the most pixels (width × height) an image may have. A
	// few kilobytes of PNG can declare a billion pixels; decoding one would
	// take gigabytes, so the size is read from the header first. 50
	// megapixels is beyond what phones save by default.
	MaxPixels = 50_000_000
	// ThumbnailSide is the longest side of a thumbnail, in pixels.
	ThumbnailSide = 320
	thumbQuality  = 80
)

// decodeSlots lets one image be decoded at a time, so that uploads arriving
// together cannot hold several of the largest decoded images in memory at
// once (up to 8 bytes a pixel each).
var decodeSlots = make(chan struct{}, 1)

type decoder struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// decoders are called by type rather than through image.Decode, so that the
// format is the one sniffed and no other registered decoder is tried.
var decoders = map[string]decoder{
	JPEG: {jpeg.DecodeConfig, jpeg.Decode},
	PNG:  {png.DecodeConfig, png.Decode},
	GIF:  {gif.DecodeConfig, gif.Decode}, // the first frame
	WebP: {webp.DecodeConfig, webp.Decode},
}

// thumbnail decodes an image of type typ and returns a JPEG of it at most
// ThumbnailSide pixels on its long side, turned upright as its EXIF
// orientation says (as browsers show the full image). It refuses an image
// of more than MaxPixels before decoding it, and one that does not decode.
func thumbnail(typ string, b []byte) ([]byte, error) {
	dec := decoders[typ]
	cfg, err := dec.config(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, refuse(CodeType)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, refuse(CodeTooManyPixels)
	}
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	src, err := dec.decode(bytes.NewReader(b))
	if err != nil {
		return nil, refuse(CodeType)
	}
	orientation := 1
	if typ == JPEG {
		orientation = exifOrientation(b)
	}
	dst := scaled(src, orientation)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, refuse(CodeType)
	}
	return out.Bytes(), nil
}

// scaled draws src onto a white canvas (JPEG has no transparency) of at
// most ThumbnailSide on the long side, never enlarged, then turns it.
func scaled(src image.Image, orientation int) *image.RGBA {
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	if w > ThumbnailSide || h > ThumbnailSide {
		if w >= h {
			w, h = ThumbnailSide, max(1, h*ThumbnailSide/w)
		} else {
			w, h = max(1, w*ThumbnailSide/h), ThumbnailSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	// BiLinear widens its kernel when shrinking, so every source pixel
	// counts (no aliasing), at a fraction of CatmullRom's cost.
	draw.BiLinear.Scale(dst, dst.Bounds(), src, sb, draw.Over, nil)
	return orient(dst, orientation)
}
