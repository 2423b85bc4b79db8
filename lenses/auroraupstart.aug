(*
Module: AuroraUpstart
  upstart job files (/etc/init/*.conf).
  Applied by name (no autoload).  Every line must end in "\n".

Tree:
  # text             { "#comment" = "text" }   (blanks around text dropped)
  #                  { "#comment" }
  blank lines        no node; kept with the node that follows them
  exec VALUE         { "exec" = "VALUE" }  raw to the end of the logical
                     line: a line ending in "\" continues, and the "\",
                     the newline and the next line are part of the value
  script             { "script" = "BODY" }  BODY is the lines up to
    ...              "end script", each with its newline ("" when there
  end script         are none); "pre-start script" and the other hooks
                     (written with one space) are labels of their own:
                     { "pre-start script" = "BODY" }
  any other line     { "#line" = "raw line" }  verbatim, indentation
                     included: stanzas (description, start on, env ...),
                     continuation lines of a multi-line quoted env value,
                     "post-stop exec ...", ...
  "exec" without a command, "script" with more on its line, or a script
  without "end script" does not parse.
*)
module AuroraUpstart =

let lead = del /([ \t]*\n)*/ ""
let indent = del /[ \t]*/ ""

let comment =
  [ lead . indent . label "#comment" . del "#" "#"
    . (del /[ \t]*/ " " . store /[^ \t\n](.*[^ \t\n])?/)?
    . del /[ \t]*\n/ "\n" ]

(* A logical line: does not start with a blank; ends in neither "\" nor a
   newline; every newline in it follows a "\" *)
let raw =
    /[^ \t\n\\\\]|[^ \t\n][^\n]*[^\\\\\n]/
  | /([^ \t\n][^\n]*)?\\\\\n([^\n]*\\\\\n)*[^\n]*[^\\\\\n]/

let exec = [ lead . indent . key "exec" . del /[ \t]+/ " " . store raw . del "\n" "\n" ]

let hook = /(pre|post)-(start|stop)/

let script =
  let end_script = /[ \t]*end[ \t]+script[ \t]*/ in
  let body_line = /[^\n]*/ - end_script in
  [ lead . indent . key (hook . " script" | "script") . del /[ \t]*\n/ "\n"
    . store (body_line . "\n")*
    . del (end_script . "\n") "end script\n" ]

(* Every other line with a first word: the first word is not one of the
   keywords above, or it is a hook not followed by "script" *)
let other =
  let word = /[^ \t\n#][^ \t\n]*/ - (/exec|script/ | hook) in
  let rest = /[^ \t\n][^\n]*/ - /script[ \t]*/ in
  let text = word . /([ \t][^\n]*)?/ | hook . /[ \t]+/ . rest in
  [ lead . label "#line" . store (/[ \t]*/ . text) . del "\n" "\n" ]

let lns = (comment | exec | script | other)* . lead
