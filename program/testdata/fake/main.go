// Command fake is a stand-in client program for package program's tests:
// each argument is an action, done in order.
//
//	cwd            print the working directory
//	env:NAME       print NAME=value
//	config         print the Docker config ($DOCKER_CONFIG/config.json)
//	password       print the password of the config's first entry, decoded
//	print:TEXT     print TEXT
//	flood:N        write N bytes of "x"
//	exit:N         exit with status N
//	hang           start a child that sleeps, holding the output open, and sleep
//	spawn          start a child that sleeps, without its output, print its pid
//	sleep          sleep an hour
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	for _, a := range os.Args[1:] {
		act, arg, _ := strings.Cut(a, ":")
		switch act {
		case "cwd":
			d, _ := os.Getwd()
			fmt.Println(d)
		case "env":
			fmt.Printf("%s=%s\n", arg, os.Getenv(arg))
		case "config":
			b, err := os.ReadFile(filepath.Join(os.Getenv("DOCKER_CONFIG"), "config.json"))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			os.Stdout.Write(b)
		case "password":
			fmt.Println(password())
		case "print":
			fmt.Print(arg)
		case "flood":
			n, _ := strconv.Atoi(arg)
			chunk := bytes.Repeat([]byte("x"), 64<<10)
			for n > 0 {
				k := min(n, len(chunk))
				os.Stdout.Write(chunk[:k])
				n -= k
			}
		case "exit":
			n, _ := strconv.Atoi(arg)
			os.Exit(n)
		case "hang":
			child := exec.Command(os.Args[0], "sleep")
			child.Stdout, child.Stderr = os.Stdout, os.Stderr
			if err := child.Start(); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
			fmt.Println("child", child.Process.Pid)
			time.Sleep(time.Hour)
		case "spawn":
			child := exec.Command(os.Args[0], "sleep")
			if err := child.Start(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			fmt.Println(child.Process.Pid)
		case "sleep":
			time.Sleep(time.Hour)
		}
	}
}

func password() string {
	b, _ := os.ReadFile(filepath.Join(os.Getenv("DOCKER_CONFIG"), "config.json"))
	var cfg struct {
		Auths map[string]struct{ Auth string } `json:"auths"`
	}
	json.Unmarshal(b, &cfg)
	for _, e := range cfg.Auths {
		up, _ := base64.StdEncoding.DecodeString(e.Auth)
		_, p, _ := strings.Cut(string(up), ":")
		return p
	}
	return ""
}
