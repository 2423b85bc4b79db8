(*
Module: AuroraArgfile
  A JCommander @argfile as read by the Aurora scheduler (0.19+): one
  argument per line, taken verbatim (no shell quoting, no trimming).
  Applied by name (no autoload).  Every line must end in "\n".

Tree:
  empty or blank-only lines   no node; kept with the node that follows them
  [blanks]#...                { "#comment" = "raw line" }  whole line
  -name=value                 { "name" = "value" }  value verbatim to the end
                              of the line, blanks and quotes included
  -name=                      { "name" = "" }
  -name                       { "name" }
  any other line              { "#arg" = "raw line" }  (leading blanks, a
                              flag name with other characters, -X..., ...)
  where "-name" starts the line and name is /[a-z][a-z0-9_]*/.
*)
module AuroraArgfile =

let lead = del /([ \t]*\n)*/ ""
let eol = del "\n" "\n"

let comment = [ lead . label "#comment" . store /[ \t]*#[^\n]*/ . eol ]

let flag =
  [ lead . del "-" "-" . key /[a-z][a-z0-9_]*/
    . (del "=" "=" . store /[^\n]*/)? . eol ]

(* Lines that are neither blank, comments nor flags, told apart by their
   first characters *)
let arg =
  let other =
      /[ \t]+[^ \t\n#][^\n]*/
    | /[^ \t\n#-][^\n]*/
    | /-([^a-z\n][^\n]*)?/
    | /-[a-z][a-z0-9_]*[^a-z0-9_=\n][^\n]*/ in
  [ lead . label "#arg" . store other . eol ]

let lns = (comment | flag | arg)* . lead
