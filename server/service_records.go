package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/servicerecord"
	"github.com/caseflow/caseflow/store"
)

// getServiceRecord answers a filed service record (?version=N, else the
// latest) as JSON, or as a printable PDF for `Accept: application/pdf` or a
// number ending in .pdf, in the reader's language.
func (h *handlers) getServiceRecord(c *gin.Context) {
	number, asPDF := strings.CutSuffix(c.Param("number"), ".pdf")
	asPDF = asPDF || c.NegotiateFormat(gin.MIMEJSON, "application/pdf") == "application/pdf"
	version := 0
	if raw := c.Query("version"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			badRequest(c, map[string]string{"version": "must be a whole number from 1"})
			return
		}
		version = n
	}
	ctx := c.Request.Context()
	row, err := h.store.GetServiceRecord(ctx, number, version)
	if !h.found(c, err, "no service record "+number) {
		return
	}
	if !asPDF {
		c.JSON(http.StatusOK, row)
		return
	}
	if h.records == nil {
		abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable,
			"no CJK font for service record PDFs: set CASEFLOW_PDF_FONT (see README)", nil)
		return
	}
	doc, err := h.recordDocument(c, row)
	if err != nil {
		h.temporalError(c, err, row.CaseID)
		return
	}
	pdf, err := h.records.PDF(doc, readerLanguage(c))
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="`+row.Record.Number+`-v`+strconv.Itoa(row.Record.Version)+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// recordDocument gathers what the record's page shows: the visit as the
// case holds it, the customer, site and equipment, the engineers' names and
// the signature image.
func (h *handlers) recordDocument(c *gin.Context, row store.ServiceRecordRow) (servicerecord.Document, error) {
	ctx := c.Request.Context()
	cs, err := h.store.GetCase(ctx, row.CaseID)
	if err != nil {
		return servicerecord.Document{}, err
	}
	var visit complaint.Visit
	for _, v := range cs.Visits {
		if v.ID == row.VisitID {
			visit = v
		}
	}
	doc := servicerecord.FromRecord(visit, row.Record)
	doc.Company, doc.CaseNumber, doc.Customer = h.company, cs.CaseNumber, cs.CustomerName
	if cs.Customer != nil {
		doc.Customer = cs.Customer.Name
	}
	if cs.Site != nil {
		doc.SiteName, doc.SiteAddress = cs.Site.Name, cs.Site.Address
	}
	doc.EquipmentSerial = cs.EquipmentSerial
	if cs.EquipmentSerial != "" {
		if eq, err := h.store.GetEquipment(ctx, cs.EquipmentSerial); err == nil {
			doc.EquipmentModel = eq.Model
		}
	}
	for i, id := range doc.Engineers {
		if u, err := h.store.GetUser(ctx, id); err == nil {
			doc.Engineers[i] = u.Name
		}
	}
	if doc.Signature, err = h.store.GetSignature(ctx, row.Record.SignatureSHA256); err != nil {
		return servicerecord.Document{}, err
	}
	return doc, nil
}

// readerLanguage is zh for a reader who prefers Chinese (?lang=, else
// Accept-Language), en otherwise.
func readerLanguage(c *gin.Context) string {
	lang := c.Query("lang")
	if lang == "" {
		lang = c.GetHeader("Accept-Language")
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "zh") {
		return "zh"
	}
	return "en"
}
