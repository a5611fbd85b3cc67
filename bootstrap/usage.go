package bootstrap

// usage is what `crm help` and a wrong command print, before the flags.
const usage = `crm — a request desk with Telegram notifications

Usage:
  crm [serve] [flags]                      migrate up, then serve HTTP and run the workers
  crm migrate up|down|version              manage the database schema
  crm user create --username NAME --role user|staff|admin
                                           create an account (password on standard input)
  crm user role NAME user|staff|admin      change someone's role
  crm user password NAME                   set a new password (read from standard input);
                                           ends that user's sessions and API tokens
  crm demo [--tickets N --users M]         load the demo accounts; with N/M, synthetic load data:
                                           users load_user_1…M and staff load_staff_1…5
                                           (password load_password), N tickets over two years
  crm token create --username NAME [--name LABEL]
                                           issue an API token (printed once, on the last line)
  crm token list --username NAME           list someone's API tokens (labels and times)
  crm token revoke --username NAME         revoke every API token of someone
  crm user reset-2fa NAME                  turn off someone's two-factor sign-in (a lost phone);
                                           where CRM_REQUIRE_2FA asks for it, they enrol again at login
  crm backup PATH                          copy the SQLite database to the new file PATH, while the
                                           server runs (PostgreSQL: pg_dump, see the README)

Every command takes the configuration flags below; each overrides the
environment variable named beside it.
`
