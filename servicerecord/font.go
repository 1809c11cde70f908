package servicerecord

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-pdf/fpdf"
)

// FontEnv names the environment variable the API reads for the PDF font
// and passes to NewRenderer: a TrueType (.ttf) font with Chinese glyphs, or
// several separated by ':' (see NewRenderer).
const FontEnv = "CASEFLOW_PDF_FONT"

// FontPackage is the Debian package that installs the first of
// DefaultFontPaths.
const FontPackage = "fonts-droid-fallback"

// LatinFontPackage is the Debian package that installs the first of
// DefaultLatinFontPaths (a dependency of fontconfig, so usually there).
const LatinFontPackage = "fonts-dejavu-core"

// ErrNoFont is wrapped by NewRenderer's error when a font file is missing.
var ErrNoFont = errors.New("no font for service-record PDFs")

// DefaultFontPaths lists where Debian packages put CJK TrueType fonts that
// the PDF library reads, in the order NewRenderer tries them. Only plain
// .ttf files qualify: the library reads neither TrueType collections (.ttc:
// fonts-wqy-*, fonts-arphic-uming/ukai) nor CFF OpenType (.otf and .ttc:
// fonts-noto-cjk).
//
// Droid Sans Fallback has no Latin letters or digits: NewRenderer pairs it
// with a font from DefaultLatinFontPaths. The AR PL fonts have their own.
func DefaultFontPaths() []string { return append([]string(nil), defaultFontPaths...) }

var defaultFontPaths = []string{
	// fonts-droid-fallback
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
	// fonts-arphic-gbsn00lp (AR PL SungtiL GB)
	"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
	// fonts-arphic-gkai00mp (AR PL KaitiM GB)
	"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
}

// DefaultLatinFontPaths lists the TrueType fonts NewRenderer tries for
// Latin letters and digits when the CJK font has none.
func DefaultLatinFontPaths() []string { return append([]string(nil), defaultLatinFontPaths...) }

var defaultLatinFontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",                  // fonts-dejavu-core
	"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", // fonts-liberation2
	"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",  // fonts-liberation
}

// Renderer prints service records. It holds its fonts' bytes and is safe
// for concurrent use.
type Renderer struct {
	faces []*face
}

// face is one font file: what it is, and which characters it has.
type face struct {
	path   string
	data   []byte
	glyphs map[uint16]uint16
	// latin: it has the ASCII letters and digits; cjk: common Chinese
	// characters.
	latin, cjk bool
}

// NewRenderer loads the fonts every PDF embeds (subsets of): fontPath, or,
// when it is "", the first of DefaultFontPaths that exists. fontPath may
// name several .ttf files separated by ':'; a CJK character prints in the
// first that has it, any other character in the first with Latin letters
// and digits that has it. When none of them has Latin letters and digits
// (Droid Sans Fallback), the first of DefaultLatinFontPaths that exists is
// added.
//
// It fails when a font file is missing (the error wraps ErrNoFont and names
// FontEnv and the Debian package) or is not a TrueType font the PDF library
// reads.
func NewRenderer(fontPath string) (*Renderer, error) {
	paths := filepath.SplitList(fontPath)
	if len(paths) == 0 {
		p, ok := firstExisting(defaultFontPaths)
		if !ok {
			return nil, fmt.Errorf("servicerecord: %w: no CJK font at %s; install the Debian package %s (apt-get install %s) or set %s to a TrueType (.ttf) font with Chinese glyphs",
				ErrNoFont, strings.Join(defaultFontPaths, ", "), FontPackage, FontPackage, FontEnv)
		}
		paths = []string{p}
	}
	r := &Renderer{}
	latin, cjk := false, false
	for _, p := range paths {
		fc, err := loadFace(p)
		if err != nil {
			return nil, err
		}
		r.faces = append(r.faces, fc)
		latin = latin || fc.latin
		cjk = cjk || fc.cjk
	}
	if !cjk {
		return nil, fmt.Errorf("servicerecord: PDF font %s (%s) has no Chinese glyphs; set %s to a TrueType (.ttf) font with them, or leave it empty and install the Debian package %s",
			strings.Join(paths, ", "), FontEnv, FontEnv, FontPackage)
	}
	if !latin {
		p, ok := firstExisting(defaultLatinFontPaths)
		if !ok {
			return nil, fmt.Errorf("servicerecord: %w: %s has no Latin letters or digits and there is no Latin font at %s; install the Debian package %s or add a .ttf font with them to %s (paths separated by ':')",
				ErrNoFont, strings.Join(paths, ", "), strings.Join(defaultLatinFontPaths, ", "), LatinFontPackage, FontEnv)
		}
		fc, err := loadFace(p)
		if err != nil {
			return nil, err
		}
		r.faces = append(r.faces, fc)
	}
	return r, nil
}

// FontPaths lists the font files the renderer embeds, in the order it
// looks for a character's glyph.
func (r *Renderer) FontPaths() []string {
	var out []string
	for _, fc := range r.faces {
		out = append(out, fc.path)
	}
	return out
}

func firstExisting(paths []string) (string, bool) {
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

func loadFace(path string) (*face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("%w: %w", ErrNoFont, err)
		}
		return nil, fmt.Errorf("servicerecord: PDF font %q (%s): %w; set %s to a TrueType (.ttf) font with Chinese glyphs, or leave it empty and install the Debian package %s",
			path, FontEnv, err, FontEnv, FontPackage)
	}
	ttf, err := checkFont(path, data)
	if err != nil {
		return nil, fmt.Errorf("servicerecord: PDF font %q (%s) is not a TrueType font this library reads (.ttc collections and .otf fonts are not): %w; install the Debian package %s or set %s to a .ttf font",
			path, FontEnv, err, FontPackage, FontEnv)
	}
	return &face{
		path:   path,
		data:   data,
		glyphs: ttf.Chars,
		latin:  hasAll(ttf.Chars, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
		cjk:    hasAll(ttf.Chars, "中文服务记录客户签名设备"),
	}, nil
}

func hasAll(glyphs map[uint16]uint16, s string) bool {
	for _, r := range s {
		if r > 0xffff || glyphs[uint16(r)] == 0 {
			return false
		}
	}
	return true
}

// checkFont reads the font's character map and has the library embed it,
// so that a bad font fails at start-up and not on the first record.
func checkFont(path string, data []byte) (ttf fpdf.TtfType, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("font parser: %v", p)
		}
	}()
	if len(data) >= 4 && (string(data[:4]) == "ttcf" || string(data[:4]) == "OTTO") {
		return ttf, errors.New("a font collection or CFF font")
	}
	if ttf, err = fpdf.TtfParse(path); err != nil {
		return ttf, err
	}
	if len(ttf.Chars) == 0 {
		return ttf, errors.New("no characters")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ttf, err
	}
	// AddUTF8FontFromBytes reports a parse error on stdout only; the file
	// variant returns it.
	f := fpdf.New("P", "mm", "A4", filepath.Dir(abs))
	f.SetCompression(false)
	f.AddUTF8Font("f", "", filepath.Base(abs))
	f.AddPage()
	f.SetFont("f", "", 10)
	f.Cell(10, 10, "服务 Service 0123")
	var buf bytes.Buffer
	return ttf, f.Output(&buf)
}
