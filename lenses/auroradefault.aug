(*
Module: AuroraDefault
  Debian's /etc/default/aurora-scheduler: AuroraShell without bash arrays,
  at a fifth of its cost.  Applied by name (no autoload).  Every line must
  end in "\n".

Tree (as AuroraShell):
  # text              { "#comment" = "text" }  (blanks around text dropped)
  #                   { "#comment" }           (nothing after the #)
  NAME=value          { "NAME" = "value" }     value raw, quotes included:
                      "example"  8081  '-Dx=/usr/lib'  ""  "zk://${ZK}/m"
  NAME=               { "NAME" = "" }
  export NAME=v       { "NAME" = "v" { "@export" } }
  NAME is /[A-Za-z_][A-Za-z0-9_]*/; a line may be indented.  A trailing
  " # comment" after a value is kept as written but not shown.  A value
  is one shell word; a quoted part may span lines.  Arrays NAME=( ... ),
  commands and other shell do not parse.

Blank lines, the one difference from AuroraShell: each is a hidden node
  ({ } in augparse tests, no label), which paths, aug_match, aug_get and
  aug_print never see.  It stays in place when the nodes around it are
  removed (AuroraShell removes the blank lines before a removed node),
  and a new NAME goes after the last line, blank or not.  This makes the
  lens one plain iteration, which Augeas reads and writes without
  matching the whole file at once (see tests/test_auroradefault.aug).
*)
module AuroraDefault =

let comment =
    [ del /[ \t]*#[ \t]*/ "# " . label "#comment"
      . store /[^ \t\n]([^\n]*[^ \t\n])?/ . del /[ \t]*\n/ "\n" ]
  | [ del /[ \t]*#[ \t]*\n/ "#\n" . label "#comment" ]

(* A shell word: unquoted characters, \x escapes, "..." (with \x escapes,
   may span lines) and '...'; "(" cannot start it.  Keep in sync with
   AuroraShell.value. *)
let value = store
  /(([^\t\n "'(\\\\]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')([^\t\n "'\\\\]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')*)?/

let assign =
  [ del /[ \t]*/ "" . [ label "@export" . del /export[ \t]+/ "export " ]?
    . key /[A-Za-z_][A-Za-z0-9_]*/ . del "=" "=" . value
    . del /([ \t]+#.*|[ \t]*)\n/ "\n" ]

let lns = ([ del /[ \t]*\n/ "\n" ] | comment | assign)*
