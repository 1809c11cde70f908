package complaint

import "slices"

// GrantTable is who may take each step of a process beside the complaint
// (an RMA, a corrective action, a follow-up, feedback): the one table its
// rules check and auth.Policy reads its routes' rules from.
type GrantTable map[string][]Grant

// Grants is a copy of step's grants, empty for an unknown step.
func (t GrantTable) Grants(step string) []Grant {
	out := make([]Grant, 0, len(t[step]))
	for _, g := range t[step] {
		out = append(out, Grant{Departments: slices.Clone(g.Departments), Roles: slices.Clone(g.Roles)})
	}
	return out
}

// Allows reports whether a's department and one of its roles are granted
// step together (a grant that names no departments allows any).
func (t GrantTable) Allows(step string, a Actor) bool {
	return slices.ContainsFunc(t[step], func(g Grant) bool {
		return (len(g.Departments) == 0 || slices.Contains(g.Departments, a.Department)) &&
			slices.ContainsFunc(g.Roles, a.HasRole)
	})
}
