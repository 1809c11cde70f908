package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func TestFieldServiceSignatures(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			// Bytes of every value, NUL included, and bytes that read as a
			// number: SQLite must keep them as the blob they were.
			png := []byte("\x89PNG\r\n\x1a\n\x00\x01\xff")
			for i := range 256 {
				png = append(png, byte(i))
			}
			sha, err := s.PutSignature(t.Context(), png)
			require.NoError(t, err)
			require.Len(t, sha, 64)

			again, err := s.PutSignature(t.Context(), png)
			require.NoError(t, err, "the same image twice is no error")
			require.Equal(t, sha, again)
			var rows int
			require.NoError(t, s.DB().Get(&rows, `SELECT COUNT(*) FROM signatures`))
			require.Equal(t, 1, rows)

			got, err := s.GetSignature(t.Context(), sha)
			require.NoError(t, err)
			require.Equal(t, png, got)

			numeric, err := s.PutSignature(t.Context(), []byte("12345"))
			require.NoError(t, err)
			require.NotEqual(t, sha, numeric)
			got, err = s.GetSignature(t.Context(), numeric)
			require.NoError(t, err)
			require.Equal(t, []byte("12345"), got)

			_, err = s.GetSignature(t.Context(), "0000")
			require.ErrorIs(t, err, store.ErrNotFound)
			_, err = s.PutSignature(t.Context(), nil)
			require.Error(t, err)
		})
	}
}

func TestFieldServiceRecordNumbers(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			first, err := s.ServiceRecordNumber(t.Context(), "a", "V1", 2026)
			require.NoError(t, err)
			require.Equal(t, "SVC-2026-000001", first)

			again, err := s.ServiceRecordNumber(t.Context(), "a", "V1", 2026)
			require.NoError(t, err)
			require.Equal(t, first, again)
			// The visit keeps its number whatever year a later call names.
			again, err = s.ServiceRecordNumber(t.Context(), "a", "V1", 2027)
			require.NoError(t, err)
			require.Equal(t, first, again)

			second, err := s.ServiceRecordNumber(t.Context(), "a", "V2", 2026)
			require.NoError(t, err)
			require.Equal(t, "SVC-2026-000002", second)
			other, err := s.ServiceRecordNumber(t.Context(), "b", "V1", 2026)
			require.NoError(t, err)
			require.Equal(t, "SVC-2026-000003", other)
			nextYear, err := s.ServiceRecordNumber(t.Context(), "c", "V1", 2027)
			require.NoError(t, err)
			require.Equal(t, "SVC-2027-000001", nextYear)
		})
	}
}

func TestFieldServiceRecordNumbersConcurrent(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			// n visits, each asked for twice at once: one number per visit,
			// distinct across visits, and no number lost to the race.
			const n = 12
			numbers := make([]string, 2*n)
			errs := make([]error, 2*n)
			var wg sync.WaitGroup
			for i := range 2 * n {
				wg.Go(func() {
					numbers[i], errs[i] = s.ServiceRecordNumber(t.Context(), fmt.Sprint("case-", i%n), "V1", 2026)
				})
			}
			wg.Wait()
			seen := map[string]int{}
			for i := range 2 * n {
				require.NoError(t, errs[i])
				if j, ok := seen[numbers[i]]; ok {
					require.Equal(t, j%n, i%n, "visits %d and %d share %s", j%n, i%n, numbers[i])
				}
				seen[numbers[i]] = i
			}
			require.Len(t, seen, n)
			for k := 1; k <= n; k++ {
				require.Contains(t, seen, fmt.Sprintf("SVC-2026-%06d", k))
			}
			var last int
			require.NoError(t, s.DB().Get(&last, `SELECT last_number FROM service_record_counters WHERE year = 2026`))
			require.Equal(t, n, last, "a lost race gives its number back")
		})
	}
}

func fieldServiceRecord(number string, version int, at time.Time) complaint.ServiceRecord {
	return complaint.ServiceRecord{
		Number: number, Version: version,
		SignOff: complaint.SignOff{Visit: "V1", SignerName: fmt.Sprint("Signer ", version),
			Opinion: complaint.OpinionSatisfied, SignedAt: at.Format(time.RFC3339)},
		SignatureSHA256: "abc",
		FiledBy:         complaint.Actor{UserID: "e1", Name: "Engineer"},
		FiledAt:         at,
	}
}

func TestFieldServiceRecordsProjected(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			c := newCase("a", at)
			_, err := s.RegisterCase(t.Context(), c, registeredEvent(at))
			require.NoError(t, err)

			_, err = s.GetServiceRecord(t.Context(), "SVC-2026-000001", 0)
			require.ErrorIs(t, err, store.ErrNotFound)

			v1 := complaint.Visit{ID: "V1", State: complaint.VisitRecorded, Engineers: []string{"e1"}, PlannedAt: at}
			v1.Records = []complaint.ServiceRecord{fieldServiceRecord("SVC-2026-000001", 1, at.Add(time.Hour))}
			filed := c
			filed.Visits = []complaint.Visit{v1}
			require.NoError(t, s.ApplyEvent(t.Context(), filed, complaint.Event{Seq: 2, Kind: "service_record_filed", OccurredAt: at.Add(time.Hour)}))

			got, err := s.GetServiceRecord(t.Context(), "SVC-2026-000001", 0)
			require.NoError(t, err)
			require.Equal(t, "a", got.CaseID)
			require.Equal(t, "V1", got.VisitID)
			require.Equal(t, 1, got.Record.Version)
			require.Equal(t, "Signer 1", got.Record.SignerName)
			require.True(t, at.Add(time.Hour).Equal(got.Record.FiledAt))
			require.Equal(t, []int{1}, got.Versions)

			// A correction: version 2 joins, version 1 stays as filed even
			// though the snapshot now carries something else under it.
			corrected := filed
			cv := v1
			changedV1 := fieldServiceRecord("SVC-2026-000001", 1, at.Add(time.Hour))
			changedV1.SignerName = "rewritten"
			cv.Records = []complaint.ServiceRecord{changedV1, fieldServiceRecord("SVC-2026-000001", 2, at.Add(2*time.Hour))}
			corrected.Visits = []complaint.Visit{cv}
			require.NoError(t, s.ApplyEvent(t.Context(), corrected, complaint.Event{Seq: 3, Kind: "service_record_corrected", OccurredAt: at.Add(2 * time.Hour)}))
			// A retry of the same event projects nothing twice.
			require.NoError(t, s.ApplyEvent(t.Context(), corrected, complaint.Event{Seq: 3, Kind: "service_record_corrected", OccurredAt: at.Add(2 * time.Hour)}))

			latest, err := s.GetServiceRecord(t.Context(), "SVC-2026-000001", 0)
			require.NoError(t, err)
			require.Equal(t, 2, latest.Record.Version)
			require.Equal(t, "Signer 2", latest.Record.SignerName)
			require.Equal(t, []int{1, 2}, latest.Versions)
			one, err := s.GetServiceRecord(t.Context(), "SVC-2026-000001", 1)
			require.NoError(t, err)
			require.Equal(t, "Signer 1", one.Record.SignerName)
			require.Equal(t, []int{1, 2}, one.Versions)
			_, err = s.GetServiceRecord(t.Context(), "SVC-2026-000001", 3)
			require.ErrorIs(t, err, store.ErrNotFound)

			var rows int
			require.NoError(t, s.DB().Get(&rows, `SELECT COUNT(*) FROM service_records`))
			require.Equal(t, 2, rows)
		})
	}
}

func TestFieldServiceEngineerVisits(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			a, other := newCase("a", at), newCase("b", at)
			numberA, err := s.RegisterCase(t.Context(), a, registeredEvent(at))
			require.NoError(t, err)
			numberB, err := s.RegisterCase(t.Context(), other, registeredEvent(at))
			require.NoError(t, err)

			visits, err := s.EngineerVisits(t.Context(), "e1", false)
			require.NoError(t, err)
			require.NotNil(t, visits, "an empty list, not nil")
			require.Empty(t, visits)

			due := at.Add(72 * time.Hour)
			a.CaseNumber = numberA
			a.AssignedEngineers = []string{"e1", "e2"}
			a.Visits = []complaint.Visit{
				{ID: "V1", State: complaint.VisitCheckedOut, Engineers: []string{"e1", "e2"}, PlannedAt: at.Add(48 * time.Hour), RecordDueAt: &due},
				{ID: "V2", State: complaint.VisitPlanned, Engineers: []string{"e1"}, PlannedAt: at.Add(24 * time.Hour)},
			}
			require.NoError(t, s.ApplyEvent(t.Context(), a, complaint.Event{Seq: 2, Kind: "visit_planned", OccurredAt: at}))
			// The case number comes from the store when the snapshot lacks it.
			other.Visits = []complaint.Visit{
				{ID: "V1", State: complaint.VisitRecorded, Engineers: []string{"e1"}, PlannedAt: at.Add(12 * time.Hour)},
			}
			require.NoError(t, s.ApplyEvent(t.Context(), other, complaint.Event{Seq: 2, Kind: "visit_planned", OccurredAt: at}))

			visits, err = s.EngineerVisits(t.Context(), "e1", false)
			require.NoError(t, err)
			require.Len(t, visits, 3)
			require.Equal(t, store.EngineerVisit{CaseID: "b", CaseNumber: numberB, VisitID: "V1",
				State: complaint.VisitRecorded, PlannedAt: at.Add(12 * time.Hour)}, visits[0])
			require.Equal(t, "V2", visits[1].VisitID)
			require.Nil(t, visits[1].RecordDueAt)
			require.Equal(t, store.EngineerVisit{CaseID: "a", CaseNumber: numberA, VisitID: "V1",
				State: complaint.VisitCheckedOut, PlannedAt: at.Add(48 * time.Hour), RecordDueAt: &due}, visits[2])

			open, err := s.EngineerVisits(t.Context(), "e1", true)
			require.NoError(t, err)
			require.Len(t, open, 2)
			require.Equal(t, []string{"a", "a"}, []string{open[0].CaseID, open[1].CaseID})
			require.Equal(t, []string{"V2", "V1"}, []string{open[0].VisitID, open[1].VisitID})

			e2, err := s.EngineerVisits(t.Context(), "e2", true)
			require.NoError(t, err)
			require.Len(t, e2, 1)
			require.Equal(t, "V1", e2[0].VisitID)

			// Version 3: V1 recorded, V2 handed from e1 to e3.
			moved := a
			moved.Visits = []complaint.Visit{a.Visits[0], a.Visits[1]}
			moved.Visits[0].State = complaint.VisitRecorded
			moved.Visits[1].Engineers = []string{"e3"}
			require.NoError(t, s.ApplyEvent(t.Context(), moved, complaint.Event{Seq: 3, Kind: "visit_replanned", OccurredAt: at.Add(time.Hour)}))
			// A stale retry of version 2 must not bring the old rows back.
			require.NoError(t, s.ApplyEvent(t.Context(), a, complaint.Event{Seq: 2, Kind: "visit_planned", OccurredAt: at}))

			open, err = s.EngineerVisits(t.Context(), "e1", true)
			require.NoError(t, err)
			require.Empty(t, open)
			all, err := s.EngineerVisits(t.Context(), "e1", false)
			require.NoError(t, err)
			require.Len(t, all, 2)
			require.Equal(t, complaint.VisitRecorded, all[1].State)
			e3, err := s.EngineerVisits(t.Context(), "e3", true)
			require.NoError(t, err)
			require.Len(t, e3, 1)
			require.Equal(t, "V2", e3[0].VisitID)
			e2, err = s.EngineerVisits(t.Context(), "e2", true)
			require.NoError(t, err)
			require.Empty(t, e2)

			// A snapshot without visits clears the case's rows.
			cleared := a
			cleared.Visits = nil
			require.NoError(t, s.ApplyEvent(t.Context(), cleared, complaint.Event{Seq: 4, Kind: "visits_cleared", OccurredAt: at.Add(2 * time.Hour)}))
			all, err = s.EngineerVisits(t.Context(), "e1", false)
			require.NoError(t, err)
			require.Len(t, all, 1)
			require.Equal(t, "b", all[0].CaseID)
		})
	}
}
