package suite

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const capabilityFile = `@capability:referrers @check:check.example @severity:warn
Feature: Referrers
  Scenario: asked
    When I send a GET request to "/v2/"
`

const orasFile = `@client:oras
Feature: oras
  oras pushes artifacts.
  Version: oras version

  @workflow:attach @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Attach a signature
    Settings: none
    Fallback settings: --distribution-spec v1.1-referrers-tag
    If it fails: keep signatures elsewhere
    When I run "oras attach {host}/{scratch}"
`

func anyStep(string, bool) error { return nil }

func loadClients(t *testing.T, files map[string]string) (*Suite, []Problem) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	s, problems := Load(fsys, "test")
	if len(problems) > 0 {
		t.Fatalf("load: %v", problems)
	}
	return s, s.Validate(anyStep)
}

// A capability's scenario cannot run client programs nor decide a
// workflow's outcome.
func TestCapabilityFileRefusesClientSteps(t *testing.T) {
	for _, step := range []string{`When I run "oras version"`, `Given the program environment variable "X" is "1"`, `Then the workflow fails when the response status is 404 because "x"`, `When I write the file "a" with:`} {
		file := capabilityFile + "    " + step + "\n"
		if strings.HasSuffix(step, "with:") {
			file += "      \"\"\"\n      x\n      \"\"\"\n"
		}
		_, problems := loadClients(t, map[string]string{"referrers.feature": file})
		found := false
		for _, p := range problems {
			found = found || (strings.Contains(p.Msg, "belongs to client workflows") && p.File == "referrers.feature" && p.Line == 5)
		}
		if !found {
			t.Errorf("%s: no problem at referrers.feature:5 in %v", step, problems)
		}
	}
}

func TestClientFileIsReadApartFromCapabilities(t *testing.T) {
	s, problems := loadClients(t, map[string]string{
		"referrers.feature": capabilityFile, "tagfallback.feature": strings.ReplaceAll(capabilityFile, "@capability:referrers", "@capability:referrers-tag-fallback"),
		"clients/oras.feature": orasFile,
	})
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(s.Features) != 2 || len(s.Clients) != 1 {
		t.Fatalf("features %d, clients %d; want 2 and 1", len(s.Features), len(s.Clients))
	}
	f := s.Clients[0]
	if f.Client != "oras" || f.VersionCommand != "oras version" || f.About != "oras pushes artifacts." {
		t.Errorf("client %q, version %q, about %q", f.Client, f.VersionCommand, f.About)
	}
	w := f.Scenarios[0].Workflow
	if w.ID != "attach" || !slices.Equal(w.Needs, []string{"referrers"}) || !slices.Equal(w.Fallbacks, []string{"referrers-tag-fallback"}) ||
		w.Otherwise != "fails" || w.Settings != "none" || w.FallbackSettings != "--distribution-spec v1.1-referrers-tag" || w.WhenItFails != "keep signatures elsewhere" {
		t.Errorf("workflow %+v", w)
	}
	if !f.Scenarios[0].Verify {
		t.Error("a client scenario must run in verify mode")
	}
	sel, err := s.Choose("", AllChecks)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range sel.Scenarios {
		if sc.Feature.IsClient() {
			t.Errorf("--check all selected the client scenario %s", sc.Ref())
		}
	}
	if sel, _ := s.Choose("@workflow:attach", ""); len(sel.Scenarios) != 0 {
		t.Errorf("--tags selected client scenarios: %d", len(sel.Scenarios))
	}
	if got := s.WorkflowCapabilities(); !slices.Equal(got, []string{"referrers", "referrers-tag-fallback"}) {
		t.Errorf("WorkflowCapabilities = %v", got)
	}
}

func TestClientFileProblems(t *testing.T) {
	cases := []struct {
		name, file string
		line       int
		want       string
	}{
		{"no workflow", strings.Replace(orasFile, "@workflow:attach ", "", 1), 7, "no @workflow:<id> tag"},
		{"no otherwise", strings.Replace(orasFile, " @otherwise:fails", "", 1), 7, "no @otherwise: tag"},
		{"bad otherwise", strings.Replace(orasFile, "@otherwise:fails", "@otherwise:breaks", 1), 6, "unknown @otherwise:breaks"},
		{"unknown capability", strings.Replace(orasFile, "@needs:referrers", "@needs:referers", 1), 6, `the suite has no capability "referers"`},
		{"unknown fails-without", strings.Replace(orasFile, "@otherwise:fails", "@otherwise:unsafe @fails-without:delet", 1), 6, `@fails-without:delet: the suite has no capability "delet"`},
		{"another program", strings.Replace(orasFile, `I run "oras attach`, `I run "crane attach`, 1), 11, `runs "crane", not the file's client "oras"`},
		{"unclosed quote", strings.Replace(orasFile, `I run "oras attach`, `I run "oras 'attach`, 1), 11, "a quote is never closed"},
		{"version of another", strings.Replace(orasFile, "Version: oras version", "Version: crane version", 1), 2, `the Version: line runs "crane"`},
		{"bad client id", strings.Replace(orasFile, "@client:oras", "@client:Oras", 1), 1, `client id "Oras" is not kebab-case`},
		{"capability tag", strings.Replace(orasFile, "@client:oras", "@client:oras @capability:x", 1), 1, "has a @capability tag"},
		{"reserved environment variable", strings.Replace(orasFile, `    When I run`, "    Given the program environment variable \"https_proxy\" is \"\"\n    When I run", 1), 11, `sets https_proxy, which would undo`},
		{"reserved PATH", strings.Replace(orasFile, `    When I run`, "    Given the program environment variable \"Path\" is \"/tmp\"\n    When I run", 1), 11, `sets Path, which would undo`},
		{"program from a placeholder", strings.Replace(orasFile, `I run "oras attach`, `I run "{prog} attach`, 1), 11, `the program's name comes from a placeholder`},
		{"capability outcome", orasFile + "    Then the capability is supported when the response status is 200\n", 12, `decides a capability's verdict`},
		{"deviation", orasFile + "    Then the registry deviates from \"spec\" when the response status is 200 because \"x\"\n", 12, `decides a capability's verdict`},
		{"no program run", strings.Replace(orasFile, `    When I run "oras attach {host}/{scratch}"`, `    When I send a GET request to "/v2/"`, 1), 7, `runs no client program`},
		{"outline", strings.Replace(strings.Replace(orasFile, "Scenario:", "Scenario Outline:", 1), "{scratch}\"", "{scratch}<x>\"\n\n    Examples:\n      | x |\n      | 1 |", 1), 13, `is a Scenario Outline`},
		{"duplicate workflow", orasFile + strings.SplitAfter(orasFile, "oras version\n\n")[1], 13, `workflow id "attach" is already used on line 7`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, problems := loadClients(t, map[string]string{
				"referrers.feature": capabilityFile, "tagfallback.feature": strings.ReplaceAll(capabilityFile, "@capability:referrers", "@capability:referrers-tag-fallback"),
				"clients/oras.feature": c.file,
			})
			for _, p := range problems {
				if strings.Contains(p.Msg, c.want) {
					if p.File != "clients/oras.feature" || p.Line != c.line {
						t.Errorf("%q at %s:%d, want line %d", p.Msg, p.File, p.Line, c.line)
					}
					return
				}
			}
			t.Errorf("no problem %q in %v", c.want, problems)
		})
	}
}
