package steps

import "github.com/ocicaps/ocicaps/client"

// DescribeStatus renders a response's status with the registry's error code
// and message, as the steps' reasons do, for the runner's own requests
// (verify mode's preflight).
func DescribeStatus(r *client.Response) string { return describeStatus(r) }
