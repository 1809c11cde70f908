package app

import (
	"context"
	"errors"
	"time"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// demoCustomers are the customers `caseflow dev` keeps in its archive, so
// that a complaint can be registered on a fresh machine: a key hospital
// with equipment in and out of warranty, and two other customers.
func demoCustomers() []store.Customer {
	site := func(id, name, address string) []archive.Site {
		return []archive.Site{{ID: id, Name: name, Address: address}}
	}
	return []store.Customer{
		{ID: "C-1001", CustomerBody: archive.CustomerBody{Name: "上海市第一人民医院 Shanghai General Hospital",
			SLAPolicy: "standard", Region: "华东 East China", BranchOffice: "上海 Shanghai", KeyCustomer: true,
			Class: complaint.CustomerClassA, Contacts: []archive.Contact{{Name: "王芳 Wang Fang", Title: "设备科 Equipment"}},
			Sites: site("main", "主院区 Main campus", "上海市虹口区武进路85号")}},
		{ID: "C-3001", CustomerBody: archive.CustomerBody{Name: "杭州市中心医院 Hangzhou Central Hospital",
			SLAPolicy: "standard", Region: "华东 East China", BranchOffice: "杭州 Hangzhou", Class: complaint.CustomerClassB,
			Sites: site("main", "主院区 Main campus", "杭州市下城区")}},
		{ID: "C-3002", CustomerBody: archive.CustomerBody{Name: "宁波眼科诊所 Ningbo Eye Clinic",
			SLAPolicy: "standard", Region: "华东 East China", BranchOffice: "杭州 Hangzhou", Class: complaint.CustomerClassC}},
	}
}

// demoEquipment is the demo customers' installed base: one pump whose
// warranty runs for another year from now and one whose ended a year ago.
func demoEquipment(now time.Time) []store.Equipment {
	day := func(years int) string { return now.AddDate(years, 0, 0).Format(time.DateOnly) }
	return []store.Equipment{
		{Serial: "SN-DEMO-IN", EquipmentBody: archive.EquipmentBody{CustomerID: "C-1001", SiteID: "main",
			Model: "IP-300 输液泵 infusion pump", PartNumber: "P-778", OrderNumber: "SO-2026-0042",
			DeliveredOn: day(-1), InstalledOn: day(-1), WarrantyEnd: day(1), Status: complaint.EquipmentInService}},
		{Serial: "SN-DEMO-OUT", EquipmentBody: archive.EquipmentBody{CustomerID: "C-1001", SiteID: "main",
			Model: "IP-200 输液泵 infusion pump", PartNumber: "P-512", OrderNumber: "SO-2022-0117",
			DeliveredOn: day(-4), InstalledOn: day(-4), WarrantyEnd: day(-1), Status: complaint.EquipmentInService}},
	}
}

// seedDemoArchive imports the demo archive on the first start only, so
// that what a user changed in it stays (the equipment's dates are
// relative to that day). The imports are all or nothing and idempotent: a
// start that stopped between them imports again.
func seedDemoArchive(ctx context.Context, s *store.Store, now time.Time) error {
	if _, err := s.GetEquipment(ctx, "SN-DEMO-OUT"); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if _, err := s.ImportCustomers(ctx, demoCustomers()); err != nil {
		return err
	}
	_, err := s.ImportEquipment(ctx, demoEquipment(now))
	return err
}
