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
    . (del /[ \t]*/ " " . store /[^ \t\n]([^\n]*[^ \t\n])?/)?
    . del /[ \t]*\n/ "\n" ]

(* A logical line: does not start with a blank; ends in neither "\" nor a
   newline; every newline in it follows a "\" *)
let raw =
    /[^ \t\n\\\\]|[^ \t\n][^\n]*[^\\\\\n]/
  | /([^ \t\n][^\n]*)?\\\\\n([^\n]*\\\\\n)*[^\n]*[^\\\\\n]/

let exec = [ lead . indent . key "exec" . del /[ \t]+/ " " . store raw . del "\n" "\n" ]

(* The regexps below are differences (a line that is not "end script", a
   first word that is not a keyword, ...) written out by hand: Augeas's
   own "-" yields regexps several times longer, which cost time at every
   read and write (see tests/test_auroraupstart.aug) *)

(* Body lines: any line but [blanks]end[blanks]script[blanks] *)
let script =
  [ lead . indent . key /(pre|post)-(start|stop) script|script/
    . del /[ \t]*\n/ "\n"
    . store /([ \t]*([^ \t\ne][^\n]*|e(n(d([ \t]+([^ \t\ns][^\n]*|s(c(r(i(p(t[ \t]*[^ \t\n][^\n]*|[^\nt][^\n]*)?|[^\np][^\n]*)?|[^\ni][^\n]*)?|[^\nr][^\n]*)?|[^\nc][^\n]*)?)?|[^ \t\n][^\n]*)?|[^\nd][^\n]*)?|[^\nn][^\n]*)?)?\n)*/
    . del /[ \t]*end[ \t]+script[ \t]*\n/ "end script\n" ]

(* Every other line with a first word: the first word is not one of exec,
   script, pre-start, pre-stop, post-start, post-stop; or it is one of the
   last four followed by something else than script *)
let other =
  [ lead . label "#line"
    . store /[ \t]*(([^ \t\n#eps][^ \t\n]*|e(x(e(c[^ \t\n]+|[^ \t\nc][^ \t\n]*)?|[^ \t\ne][^ \t\n]*)?|[^ \t\nx][^ \t\n]*)?|s(c(r(i(p(t[^ \t\n]+|[^ \t\nt][^ \t\n]*)?|[^ \t\np][^ \t\n]*)?|[^ \t\ni][^ \t\n]*)?|[^ \t\nr][^ \t\n]*)?|[^ \t\nc][^ \t\n]*)?|p(o(s(t|[^ \t\nt][^ \t\n]*)?|[^ \t\ns][^ \t\n]*)?|re?|r[^ \t\ne][^ \t\n]*|[^ \t\nor][^ \t\n]*)?|p(ost|re)([^ \t\n-][^ \t\n]*|-(s(t(a(r(t[^ \t\n]+|[^ \t\nt][^ \t\n]*)?|[^ \t\nr][^ \t\n]*)?|o(p[^ \t\n]+|[^ \t\np][^ \t\n]*)?|[^ \t\nao][^ \t\n]*)?|[^ \t\nt][^ \t\n]*)?|[^ \t\ns][^ \t\n]*)?))([ \t][^\n]*)?|(pre|post)-(start|stop)[ \t]+([^ \t\ns][^\n]*|s(c(r(i(p(t[ \t]*[^ \t\n][^\n]*|[^\nt][^\n]*)?|[^\np][^\n]*)?|[^\ni][^\n]*)?|[^\nr][^\n]*)?|[^\nc][^\n]*)?))/
    . del "\n" "\n" ]

let lns = (comment | exec | script | other)* . lead
