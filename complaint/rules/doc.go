// Package rules holds the rules of a complaint's process, free of Temporal
// and of the database: which steps a case takes in its stage, who may take
// them, what each step checks and changes, and how its service-level clocks
// move. The workflow is the durable shell that calls them under its lock
// and maps their refusals to typed application errors; tests read like the
// policy ([3.(2).3] and the like are sections of the after-sales plan).
package rules
