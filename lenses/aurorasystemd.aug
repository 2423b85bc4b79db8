(*
Module: AuroraSystemd
  systemd unit files and their drop-ins: X.service, X.service.d/Y.conf.
  Applied by name (no autoload).  Every line must end in "\n".

Tree:
  # text  or  ; text   { "#comment" = "text" }   (blanks around text dropped)
  #                    { "#comment" }
  blank lines          no node; kept with the node that follows them
  [Section]            { "Section" ... }  holding the entries and comments
                       up to the next section
  Key=value            { "Key" = "value" }  value raw: everything after "="
                       (and the blanks after it) to the end of the logical
                       line; a line ending in "\" continues, and the "\",
                       the newline and the next line are part of the value
  Key=                 { "Key" }  no value (the reset line of a drop-in)
  Blanks around "=" are allowed.  Entries before the first section are not;
  comments are.  Any other line does not parse.
*)
module AuroraSystemd =

let lead = del /([ \t]*\n)*[ \t]*/ ""

let comment =
  [ lead . label "#comment" . del /[#;]/ "#"
    . (del /[ \t]*/ " " . store /[^ \t\n](.*[^ \t\n])?/)?
    . del /[ \t]*\n/ "\n" ]

(* A logical line: does not start with a blank; ends in neither "\" nor a
   newline; every newline in it follows a "\" *)
let raw =
    /[^ \t\n\\\\]|[^ \t\n][^\n]*[^\\\\\n]/
  | /([^ \t\n][^\n]*)?\\\\\n([^\n]*\\\\\n)*[^\n]*[^\\\\\n]/

let entry =
  [ lead . key /[A-Za-z0-9_][A-Za-z0-9_.-]*/ . del /[ \t]*=[ \t]*/ "="
    . (store raw)? . del "\n" "\n" ]

let section =
  [ lead . del "[" "[" . key /[A-Za-z0-9_.-]+/ . del /\][ \t]*\n/ "]\n"
    . (entry | comment)* ]

let lns = comment* . section* . del /([ \t]*\n)*/ ""
