package complaint_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

func TestGrantTable(t *testing.T) {
	table := complaint.GrantTable{
		"inspect": {{Departments: []string{complaint.DepartmentQuality}, Roles: []string{complaint.RoleAgent}}},
		"log":     {{Roles: []string{complaint.RoleEngineer}}},
	}
	for _, tc := range []struct {
		name  string
		step  string
		actor complaint.Actor
		want  bool
	}{
		{"the department and the role together", "inspect", complaint.Actor{Department: complaint.DepartmentQuality,
			Roles: []string{complaint.RoleAgent}}, true},
		{"the role in another department", "inspect", complaint.Actor{Department: complaint.DepartmentSales,
			Roles: []string{complaint.RoleAgent}}, false},
		{"the department in another role", "inspect", complaint.Actor{Department: complaint.DepartmentQuality,
			Roles: []string{complaint.RoleApprover}}, false},
		{"a grant without departments allows any", "log", complaint.Actor{Department: complaint.DepartmentSales,
			Roles: []string{complaint.RoleEngineer}}, true},
		{"an unknown step allows nobody", "fly", complaint.Actor{Department: complaint.DepartmentQuality,
			Roles: []string{complaint.RoleAgent}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, table.Allows(tc.step, tc.actor)) })
	}
	grants := table.Grants("inspect")
	grants[0].Roles[0] = complaint.RoleSupervisor
	require.Equal(t, complaint.RoleAgent, table["inspect"][0].Roles[0], "a copy: the table does not change")
	require.Empty(t, table.Grants("fly"))
}
