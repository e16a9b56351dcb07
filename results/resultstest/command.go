package resultstest

import "github.com/ocicaps/ocicaps/results"

// CommandLine is the command line of WithCommand's client program run.
const CommandLine = `oras push 127.0.0.1:5001/ocicaps/scratch:v1 "a file.txt"`

// WithCommand returns Sample with a client program's run as evidence: on
// the first registry's referrers capability, an exchange that is a command
// (exit 1, output cut at 12 of 4096 bytes) after its HTTP exchanges, and a
// deviation whose evidence is that command.
func WithCommand() *results.Run {
	run := Sample()
	c := &run.Registries[0].Capabilities[1]
	c.Exchanges = append(c.Exchanges, results.Exchange{Attempts: 1, DurationMS: 420, Command: &results.Command{
		Argv:     []string{"oras", "push", "127.0.0.1:5001/ocicaps/scratch:v1", "a file.txt"},
		ExitCode: 1, Output: "Error: <denied>", OutputBytes: 4096, DurationMS: 420,
	}})
	c.Deviations = append(c.Deviations, results.Deviation{Section: "client readiness", Rule: "oras push works",
		Evidence: results.Evidence{Scenario: "oras pushes", Exchange: len(c.Exchanges) - 1, Command: CommandLine}})
	return run
}
