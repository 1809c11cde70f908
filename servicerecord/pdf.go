package servicerecord

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres, and type sizes, in points.
const (
	marginLeft   = 15.0
	marginTop    = 12.0
	marginRight  = 15.0
	marginBottom = 18.0
	contentWidth = 210.0 - marginLeft - marginRight

	cellMargin = 1.5 // left and right padding inside a text cell
	cellPadY   = 1.0 // top and bottom padding inside a cell
	lineHeight = 5.0

	labelWidth     = 30.0                        // label cells
	halfValueWidth = contentWidth/2 - labelWidth // value cells of a two-pair row
	signatureBoxH  = 36.0

	bodyPt    = 9.5
	sectionPt = 11.0
	companyPt = 15.0
	titlePt   = 13.0
	smallPt   = 8.0
)

// Signature images above these sizes are refused, before they are decoded.
const (
	maxSignatureSide   = 4096
	maxSignaturePixels = 8 << 20
)

// dash prints for an empty value.
const dash = "—"

// PDF prints doc as an A4 PDF with the labels of lang ("zh" or "en"). The
// same doc, language and font give the same bytes. It fails on an unknown
// language and on a signature that is not a PNG image.
func (r *Renderer) PDF(doc Document, lang string) ([]byte, error) {
	l, err := labelsFor(lang)
	if err != nil {
		return nil, err
	}
	sig, err := signatureImage(doc.Signature)
	if err != nil {
		return nil, err
	}
	// The footer says "page n of N": lay out for one page, and again when
	// the record turned out longer.
	out, pages, err := r.render(&doc, l, sig, 1)
	if err == nil && pages != 1 {
		out, _, err = r.render(&doc, l, sig, pages)
	}
	return out, err
}

// signature is the signature image, flattened onto white and re-encoded as
// an 8-bit RGB PNG (the library reads neither interlaced nor 16-bit PNGs).
type signature struct {
	png  []byte
	w, h int
}

func signatureImage(b []byte) (*signature, error) {
	if len(b) == 0 {
		return nil, nil
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("servicerecord: signature is not a PNG image: %w", err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSignatureSide || cfg.Height > maxSignatureSide ||
		cfg.Width*cfg.Height > maxSignaturePixels {
		return nil, fmt.Errorf("servicerecord: signature image is %d×%d pixels; at most %d on a side and %d in all",
			cfg.Width, cfg.Height, maxSignatureSide, maxSignaturePixels)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("servicerecord: signature is not a PNG image: %w", err)
	}
	bounds := img.Bounds()
	flat := image.NewRGBA(image.Rect(0, 0, bounds.Dx(), bounds.Dy()))
	draw.Draw(flat, flat.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(flat, flat.Bounds(), img, bounds.Min, draw.Over)
	var buf bytes.Buffer
	if err := png.Encode(&buf, flat); err != nil {
		return nil, fmt.Errorf("servicerecord: signature: %w", err)
	}
	return &signature{png: buf.Bytes(), w: bounds.Dx(), h: bounds.Dy()}, nil
}

// page lays out one document.
type page struct {
	f     *fpdf.Fpdf
	faces []*face
	l     *labels
	doc   *Document
	pages int
	// size is the type size, in points; faceOf caches which face prints a
	// character.
	size   float64
	faceOf map[rune]int
	// top is where content starts below the page header.
	top float64
	// onBreak runs after a page break inside a table (repeats its header).
	onBreak func()
}

func (r *Renderer) render(doc *Document, l *labels, sig *signature, pages int) (out []byte, n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, n, err = nil, 0, fmt.Errorf("servicerecord: PDF library: %v", p)
		}
	}()
	f := fpdf.New("P", "mm", "A4", "")
	p := &page{f: f, faces: r.faces, l: l, doc: doc, pages: pages, size: bodyPt, faceOf: map[rune]int{}}

	date := doc.FiledAt
	if date.IsZero() {
		date = doc.SignedAt
	}
	if date.IsZero() {
		date = time.Unix(0, 0)
	}
	f.SetCreationDate(date.UTC())
	f.SetModificationDate(date.UTC())
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetTitle(strings.TrimSpace(l.Title+" "+clean(doc.Number)), true)
	f.SetSubject(clean(doc.CaseNumber), true)
	f.SetAuthor(clean(doc.Company), true)
	f.SetCreator("caseflow", true)

	// The library may keep what it is given; every document gets its own
	// copy of the fonts.
	for i, fc := range r.faces {
		f.AddUTF8FontFromBytes(family(i), "", append([]byte(nil), fc.data...))
	}
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(false, marginBottom)
	f.SetCellMargin(0)
	f.SetFont(family(0), "", bodyPt)
	f.SetDrawColor(150, 150, 150)
	f.SetLineWidth(0.2)
	f.SetHeaderFunc(p.header)
	f.SetFooterFunc(p.footer)
	if sig != nil {
		f.RegisterImageOptionsReader("signature", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(sig.png))
	}
	f.AddPage()
	p.body(sig)
	if err := f.Error(); err != nil {
		return nil, 0, fmt.Errorf("servicerecord: PDF: %w", err)
	}
	n = f.PageCount()
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, 0, fmt.Errorf("servicerecord: PDF: %w", err)
	}
	return buf.Bytes(), n, nil
}

func (p *page) header() {
	f, l, d := p.f, p.l, p.doc
	f.SetTextColor(0, 0, 0)
	y := marginTop
	if c := clean(d.Company); c != "" {
		p.size = companyPt
		p.text(marginLeft, y, contentWidth, 8, c, "C")
		y += 8
	}
	p.size = titlePt
	p.text(marginLeft, y, contentWidth, 7, l.Title, "C")
	y += 7
	p.size = smallPt
	ref := l.Record + " " + orDash(d.Number) + "    " + l.Version + " " + version(d.Version)
	if c := clean(d.CaseNumber); c != "" {
		ref = l.Case + " " + c + "    " + ref
	}
	p.text(marginLeft, y, contentWidth, 5, ref, "R")
	y += 6
	f.SetDrawColor(60, 60, 60)
	f.SetLineWidth(0.5)
	f.Line(marginLeft, y, marginLeft+contentWidth, y)
	f.SetDrawColor(150, 150, 150)
	f.SetLineWidth(0.2)
	p.top = y + 3
	p.size = bodyPt
	f.SetXY(marginLeft, p.top)
}

func (p *page) footer() {
	f, l, d := p.f, p.l, p.doc
	_, pageH := f.GetPageSize()
	y := pageH - marginBottom + 5
	f.SetDrawColor(150, 150, 150)
	f.SetLineWidth(0.2)
	f.Line(marginLeft, y, marginLeft+contentWidth, y)
	p.size = smallPt
	f.SetTextColor(80, 80, 80)
	var left []string
	if !d.FiledAt.IsZero() {
		left = append(left, l.FiledAt+" "+p.when(d.FiledAt))
	}
	if by := clean(d.FiledBy); by != "" {
		left = append(left, l.FiledBy+" "+by)
	}
	p.text(marginLeft, y+1, contentWidth*2/3, 5, strings.Join(left, "    "), "L")
	p.text(marginLeft+contentWidth*2/3, y+1, contentWidth/3, 5, fmt.Sprintf(l.Page, f.PageNo(), p.pages), "R")
	f.SetTextColor(0, 0, 0)
	p.size = bodyPt
}

// family names the i-th face inside the PDF.
func family(i int) string { return "f" + strconv.Itoa(i) }

// run is text that one face prints.
type run struct {
	face int
	s    string
}

// face picks the face that prints r: for a CJK character the first that
// has it, for any other the first with Latin letters that has it, then the
// first that has it; the first face when none has it.
func (p *page) face(r rune) int {
	if i, ok := p.faceOf[r]; ok {
		return i
	}
	i := -1
	if !wide(r) {
		for j, fc := range p.faces {
			if fc.latin && fc.glyphs[uint16(r)] != 0 {
				i = j
				break
			}
		}
	}
	if i < 0 {
		for j, fc := range p.faces {
			if fc.glyphs[uint16(r)] != 0 {
				i = j
				break
			}
		}
	}
	if i < 0 {
		i = 0
	}
	p.faceOf[r] = i
	return i
}

// runs splits s (clean) into runs of one face. A space prints in the face
// of the run it is in.
func (p *page) runs(s string) []run {
	var out []run
	for _, r := range s {
		i := -1
		if r == ' ' && len(out) > 0 {
			i = out[len(out)-1].face
		} else {
			i = p.face(r)
		}
		if len(out) > 0 && out[len(out)-1].face == i {
			out[len(out)-1].s += string(r)
		} else {
			out = append(out, run{i, string(r)})
		}
	}
	return out
}

// width is how wide s prints at the current size.
func (p *page) width(s string) float64 {
	w := 0.0
	for _, r := range p.runs(s) {
		p.f.SetFont(family(r.face), "", p.size)
		w += p.f.GetStringWidth(r.s)
	}
	return w
}

// text prints one line of s in the box at x, y, w wide and h high, padded
// by cellMargin left and right, aligned "L", "C" or "R".
func (p *page) text(x, y, w, h float64, s, align string) {
	runs := p.runs(clean(s))
	if len(runs) == 0 {
		return
	}
	cx := x + cellMargin
	switch align {
	case "C":
		cx = x + (w-p.width(s))/2
	case "R":
		cx = x + w - cellMargin - p.width(s)
	}
	for _, r := range runs {
		p.f.SetFont(family(r.face), "", p.size)
		rw := p.f.GetStringWidth(r.s)
		p.f.SetXY(cx, y)
		p.f.CellFormat(rw, h, r.s, "", 0, "L", false, 0, "")
		cx += rw
	}
}

func (p *page) body(sig *signature) {
	l, d := p.l, p.doc

	p.section(l.SectionCase)
	p.pairs(l.Record, orDash(d.Number), l.Version, version(d.Version))
	p.pairs(l.Case, orDash(d.CaseNumber), l.Customer, orDash(d.Customer))
	p.pair(l.Site, orDash(d.SiteName))
	p.pair(l.Address, orDash(d.SiteAddress))
	p.pairs(l.Serial, orDash(d.EquipmentSerial), l.Model, orDash(d.EquipmentModel))

	p.section(l.SectionVisit)
	p.pair(l.Engineers, orDash(joinNonEmpty(d.Engineers, l.ListSep)))
	p.pairs(l.Planned, p.when(d.PlannedAt), l.CheckedIn, p.when(d.CheckedInAt))
	p.pairs(l.CheckedOut, p.when(d.CheckedOutAt), l.UnitPickedUp, orDash(d.UnitPickedUp))

	p.section(l.SectionWork)
	p.pair(l.WorkDone, orDash(d.WorkDone))
	p.pair(l.Findings, orDash(d.Findings))

	p.section(l.SectionParts)
	p.parts()

	p.section(l.SectionSignOff)
	p.pairs(l.Signer, orDash(d.SignerName), l.SignerTitle, orDash(d.SignerTitle))
	p.pairs(l.Opinion, orDash(l.opinion(d.Opinion)), l.SignedAt, p.when(d.SignedAt))
	p.pair(l.Comment, orDash(d.Comment))
	p.signatureBox(sig)
}

// cell is one cell of a table row.
type cell struct {
	w     float64
	text  string
	label bool   // grey background
	align string // "L" (default), "C" or "R"
}

func (p *page) pair(label, value string) {
	p.row([]cell{{w: labelWidth, text: label, label: true}, {w: contentWidth - labelWidth, text: value}})
}

func (p *page) pairs(label1, value1, label2, value2 string) {
	p.row([]cell{
		{w: labelWidth, text: label1, label: true}, {w: halfValueWidth, text: value1},
		{w: labelWidth, text: label2, label: true}, {w: halfValueWidth, text: value2},
	})
}

func (p *page) parts() {
	l := p.l
	widths := []float64{12, 55, 18, contentWidth - 12 - 55 - 18}
	head := func() {
		p.row([]cell{
			{w: widths[0], text: l.PartIndex, label: true, align: "C"},
			{w: widths[1], text: l.PartNumber, label: true},
			{w: widths[2], text: l.Quantity, label: true, align: "R"},
			{w: widths[3], text: l.PartSerials, label: true},
		})
	}
	if len(p.doc.Parts) == 0 {
		p.row([]cell{{w: contentWidth, text: l.NoParts}})
		return
	}
	p.keep(2*(lineHeight+2*cellPadY) + 0.1)
	head()
	p.onBreak = head
	for i, part := range p.doc.Parts {
		p.row([]cell{
			{w: widths[0], text: strconv.Itoa(i + 1), align: "C"},
			{w: widths[1], text: orDash(part.PartNumber)},
			{w: widths[2], text: strconv.Itoa(part.Quantity), align: "R"},
			{w: widths[3], text: orDash(joinNonEmpty(part.Serials, l.ListSep))},
		})
	}
	p.onBreak = nil
}

func (p *page) signatureBox(sig *signature) {
	f, l := p.f, p.l
	p.keep(signatureBoxH)
	x, y := marginLeft, f.GetY()
	f.SetFillColor(242, 242, 242)
	f.Rect(x, y, labelWidth, signatureBoxH, "DF")
	f.Rect(x+labelWidth, y, contentWidth-labelWidth, signatureBoxH, "D")
	p.size = bodyPt
	for i, line := range p.wrap(l.Signature, labelWidth-2*cellMargin) {
		p.text(x, y+cellPadY+float64(i)*lineHeight, labelWidth, lineHeight, line, "L")
	}
	boxX, boxW := x+labelWidth+2, contentWidth-labelWidth-4
	boxY, boxH := y+2, signatureBoxH-4
	if sig == nil {
		f.SetTextColor(130, 130, 130)
		p.text(x+labelWidth, y+signatureBoxH/2-lineHeight/2, contentWidth-labelWidth, lineHeight, l.NoSignature, "C")
		f.SetTextColor(0, 0, 0)
	} else {
		// Fit the image into at most 90 mm × the box, keeping its shape.
		w, h := 90.0, 90.0*float64(sig.h)/float64(sig.w)
		if h > boxH {
			w, h = boxH*float64(sig.w)/float64(sig.h), boxH
		}
		if w > boxW {
			w, h = boxW, boxW*float64(sig.h)/float64(sig.w)
		}
		f.ImageOptions("signature", boxX, boxY+(boxH-h)/2, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	f.SetXY(marginLeft, y+signatureBoxH)
}

// section prints a section title, kept on the page with the row after it.
func (p *page) section(title string) {
	f := p.f
	p.keep(3 + 7 + lineHeight + 2*cellPadY)
	if f.GetY() > p.top+0.01 {
		f.SetY(f.GetY() + 3)
	}
	p.size = sectionPt
	y := f.GetY()
	p.text(marginLeft-cellMargin, y, contentWidth, 7, title, "L")
	p.size = bodyPt
	f.SetXY(marginLeft, y+7)
}

// bottom is the lowest y that content reaches.
func (p *page) bottom() float64 {
	_, h := p.f.GetPageSize()
	return h - marginBottom
}

// keep starts a new page unless h millimetres fit on this one.
func (p *page) keep(h float64) {
	if p.f.GetY()+h > p.bottom() && p.f.GetY() > p.top+0.01 {
		p.f.AddPage()
	}
}

// row prints a table row whose cells wrap their text. A row that does not
// fit moves to the next page, and one taller than a page is split.
func (p *page) row(cells []cell) {
	f := p.f
	p.size = bodyPt
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = p.wrap(c.text, c.w-2*cellMargin)
		n = max(n, len(lines[i]))
	}
	for start := 0; start < n; {
		fits := int((p.bottom() - f.GetY() - 2*cellPadY) / lineHeight)
		fresh := int((p.bottom() - p.top - 2*cellPadY) / lineHeight)
		atTop := f.GetY() <= p.top+0.01
		if !atTop && (fits < 1 || (fits < n-start && n-start <= fresh)) {
			// Move a row that fits on a fresh page there; split a longer
			// one here.
			f.AddPage()
			if p.onBreak != nil {
				p.onBreak()
			}
			continue
		}
		k := min(max(fits, 1), n-start)
		h := float64(k)*lineHeight + 2*cellPadY
		x, y := marginLeft, f.GetY()
		for i, c := range cells {
			if c.label {
				f.SetFillColor(242, 242, 242)
				f.Rect(x, y, c.w, h, "DF")
			} else {
				f.Rect(x, y, c.w, h, "D")
			}
			align := c.align
			if align == "" {
				align = "L"
			}
			for j := start; j < start+k && j < len(lines[i]); j++ {
				p.text(x, y+cellPadY+float64(j-start)*lineHeight, c.w, lineHeight, lines[i][j], align)
			}
			x += c.w
		}
		f.SetXY(marginLeft, y+h)
		start += k
		if start < n {
			f.AddPage()
			if p.onBreak != nil {
				p.onBreak()
			}
		}
	}
}

// wrap breaks s into lines at most w wide: at spaces, between CJK
// characters (not before closing punctuation), and inside words longer than
// a line.
func (p *page) wrap(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(clean(s), "\n") {
		out = append(out, p.wrapLine(para, w)...)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

func (p *page) wrapLine(s string, w float64) []string {
	width := p.width
	var lines []string
	line, lineW := "", 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(line, " "))
		line, lineW = "", 0
	}
	for _, tok := range tokens(s) {
		tw := width(tok)
		switch {
		case lineW+tw <= w:
			line += tok
			lineW += tw
		case strings.TrimSpace(tok) == "":
			// A space where the line breaks.
			flush()
		default:
			if line != "" {
				flush()
			}
			// A word longer than a line breaks anywhere.
			for _, r := range tok {
				rw := width(string(r))
				if lineW+rw > w && line != "" {
					flush()
				}
				line += string(r)
				lineW += rw
			}
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// tokens splits s into runs of spaces, runs of other non-CJK characters,
// and single CJK characters, with closing punctuation joined to the token
// before it.
func tokens(s string) []string {
	var toks []string
	cur := ""
	curKind := 0 // 0 none, 1 space, 2 word
	push := func() {
		if cur != "" {
			toks = append(toks, cur)
		}
		cur, curKind = "", 0
	}
	for _, r := range s {
		switch {
		case strings.ContainsRune(noLineStart, r) && (cur != "" || len(toks) > 0) && curKind != 1:
			if cur != "" {
				cur += string(r)
			} else {
				toks[len(toks)-1] += string(r)
			}
		case r == ' ':
			if curKind != 1 {
				push()
			}
			cur, curKind = cur+" ", 1
		case wide(r):
			push()
			toks = append(toks, string(r))
		default:
			if curKind != 2 {
				push()
			}
			cur, curKind = cur+string(r), 2
		}
	}
	push()
	return toks
}

// noLineStart are the characters a line does not start with.
const noLineStart = "，。、；：？！）》」』】〕〉…’”,.;:?!)]}%"

// wide reports whether r is a CJK character, which lines break around.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// clean makes s printable with the library: tabs become spaces, other
// control characters go, and characters beyond the Basic Multilingual
// Plane (which it cannot map) become '?'.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteRune(' ')
		case r > 0xffff || r == unicode.ReplacementChar:
			b.WriteRune('?')
		case unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (p *page) when(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	if p.doc.Location != nil {
		t = t.In(p.doc.Location)
	}
	return t.Format("2006-01-02 15:04 -07:00")
}

func orDash(s string) string {
	s = clean(s)
	if strings.TrimSpace(s) == "" {
		return dash
	}
	return s
}

func version(v int) string {
	if v <= 0 {
		return dash
	}
	return strconv.Itoa(v)
}

func joinNonEmpty(ss []string, sep string) string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}
