// Command crm is a request desk with Telegram notifications. See README.md.
package main

import "crm/bootstrap"

func main() { bootstrap.Main() }
