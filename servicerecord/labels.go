package servicerecord

import (
	"fmt"
	"strings"
)

// The languages a record is printed in.
const (
	LangZH = "zh"
	LangEN = "en"
)

// Languages lists the languages PDF takes.
func Languages() []string { return []string{LangZH, LangEN} }

// labels is what the page says around the values, in one language.
type labels struct {
	Title string

	SectionCase, SectionVisit, SectionWork, SectionParts, SectionSignOff string

	Record, Version, Case, Customer, Site, Address, Serial, Model string
	Engineers, Planned, CheckedIn, CheckedOut                     string
	WorkDone, Findings, UnitPickedUp                              string
	PartIndex, PartNumber, Quantity, PartSerials, NoParts         string
	Signer, SignerTitle, Opinion, Comment, SignedAt, Signature    string
	NoSignature, FiledAt, FiledBy                                 string

	// ListSep joins engineers and serial numbers.
	ListSep string
	// Page formats the footer's page number: page, then pages.
	Page string
	// Opinions names the complaint.Opinion* codes; others print as given.
	Opinions map[string]string
}

var labelTable = map[string]*labels{
	LangZH: {
		Title:          "现场服务记录",
		SectionCase:    "案件与设备",
		SectionVisit:   "上门服务",
		SectionWork:    "服务内容",
		SectionParts:   "使用备件",
		SectionSignOff: "客户签字确认",
		Record:         "记录编号",
		Version:        "版本",
		Case:           "案件编号",
		Customer:       "客户",
		Site:           "服务地点",
		Address:        "地址",
		Serial:         "设备序列号",
		Model:          "设备型号",
		Engineers:      "服务工程师",
		Planned:        "计划上门时间",
		CheckedIn:      "到场时间",
		CheckedOut:     "离场时间",
		WorkDone:       "工作内容",
		Findings:       "检查发现",
		UnitPickedUp:   "带回设备",
		PartIndex:      "序号",
		PartNumber:     "备件号",
		Quantity:       "数量",
		PartSerials:    "序列号",
		NoParts:        "未使用备件",
		Signer:         "签字人",
		SignerTitle:    "职务",
		Opinion:        "服务评价",
		Comment:        "客户意见",
		SignedAt:       "签字时间",
		Signature:      "客户签名",
		NoSignature:    "（无签名）",
		FiledAt:        "归档时间",
		FiledBy:        "归档人",
		ListSep:        "、",
		Page:           "第 %d 页，共 %d 页",
		Opinions: map[string]string{
			"satisfied":        "满意",
			"partly_satisfied": "基本满意",
			"dissatisfied":     "不满意",
		},
	},
	LangEN: {
		Title:          "Field Service Record",
		SectionCase:    "Case and equipment",
		SectionVisit:   "Visit",
		SectionWork:    "Service performed",
		SectionParts:   "Parts used",
		SectionSignOff: "Customer sign-off",
		Record:         "Record no.",
		Version:        "Version",
		Case:           "Case no.",
		Customer:       "Customer",
		Site:           "Site",
		Address:        "Address",
		Serial:         "Serial no.",
		Model:          "Model",
		Engineers:      "Engineers",
		Planned:        "Planned",
		CheckedIn:      "Checked in",
		CheckedOut:     "Checked out",
		WorkDone:       "Work done",
		Findings:       "Findings",
		UnitPickedUp:   "Unit picked up",
		PartIndex:      "#",
		PartNumber:     "Part number",
		Quantity:       "Qty",
		PartSerials:    "Serial numbers",
		NoParts:        "No parts used",
		Signer:         "Signed by",
		SignerTitle:    "Title",
		Opinion:        "Opinion",
		Comment:        "Comment",
		SignedAt:       "Signed at",
		Signature:      "Customer signature",
		NoSignature:    "(no signature)",
		FiledAt:        "Filed at",
		FiledBy:        "Filed by",
		ListSep:        ", ",
		Page:           "Page %d of %d",
		Opinions: map[string]string{
			"satisfied":        "Satisfied",
			"partly_satisfied": "Partly satisfied",
			"dissatisfied":     "Dissatisfied",
		},
	},
}

// labelsFor returns the labels of lang ("zh" or "en", case-insensitive).
func labelsFor(lang string) (*labels, error) {
	l, ok := labelTable[strings.ToLower(strings.TrimSpace(lang))]
	if !ok {
		return nil, fmt.Errorf("servicerecord: unsupported language %q (want %q or %q)", lang, LangZH, LangEN)
	}
	return l, nil
}

// opinion names an opinion code in the labels' language.
func (l *labels) opinion(code string) string {
	if s, ok := l.Opinions[code]; ok {
		return s
	}
	return code
}
