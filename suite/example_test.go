package suite_test

import (
	"fmt"

	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/suite"
)

// Load the embedded feature files and list the capabilities the probe
// scenarios of the default check judge, as `ocicaps run` selects them
// without --verify (capability ids are a contract, so this stays).
func Example() {
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		fmt.Println(problems)
		return
	}
	for _, sc := range s.Select(suite.CheckExpr(suite.DefaultCheck) + " && ~" + suite.TagVerify) {
		fmt.Println(sc.Feature.Capability)
	}
	// Output:
	// distribution-version
	// referrers
	// chunked-upload
	// cross-repo-mount
	// delete
}
