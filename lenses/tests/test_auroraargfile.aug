(* Tests for the AuroraArgfile lens *)
module Test_AuroraArgfile =

let lns = AuroraArgfile.lns

(* A flag file given to the scheduler as @/etc/aurora/scheduler.flags *)
let flags = "# Aurora scheduler flags
-cluster_name=devcluster
-http_port=8081

  # indented comment
-mesos_master_address=zk://localhost:2181/mesos
-thermos_executor_flags=--announcer-ensemble localhost:2181
-allowed_container_types='MESOS,DOCKER'
-enable_h2_console
-backup_dir=
   \t
 -indented=1
-http_port =8081
-trailing_blank 
-Xdebug
--double=dash
-X_y
plain value
\"-quoted=1\"
-
#-max_registration_delay=360mins
"

test lns get flags =
  { "#comment" = "# Aurora scheduler flags" }
  { "cluster_name" = "devcluster" }
  { "http_port" = "8081" }
  { "#comment" = "  # indented comment" }
  { "mesos_master_address" = "zk://localhost:2181/mesos" }
  { "thermos_executor_flags" = "--announcer-ensemble localhost:2181" }
  { "allowed_container_types" = "'MESOS,DOCKER'" }
  { "enable_h2_console" }
  { "backup_dir" = "" }
  { "#arg" = " -indented=1" }
  { "#arg" = "-http_port =8081" }
  { "#arg" = "-trailing_blank " }
  { "#arg" = "-Xdebug" }
  { "#arg" = "--double=dash" }
  { "#arg" = "-X_y" }
  { "#arg" = "plain value" }
  { "#arg" = "\"-quoted=1\"" }
  { "#arg" = "-" }
  { "#comment" = "#-max_registration_delay=360mins" }

(* Only whole lines *)
test lns get "-a=1" = *
test lns get "-a=1\n\n  \n" = { "a" = "1" }

(* Edits *)
let short = "-cluster_name=devcluster\n\n# port\n-http_port=8081\n"

test lns put short after set "http_port" "9090" =
  "-cluster_name=devcluster\n\n# port\n-http_port=9090\n"

test lns put short after set "max_registration_delay" "360mins" =
  "-cluster_name=devcluster\n\n# port\n-http_port=8081\n-max_registration_delay=360mins\n"

test lns put short after insa "max_registration_delay" "cluster_name" ;
    set "max_registration_delay" "360mins" =
  "-cluster_name=devcluster\n-max_registration_delay=360mins\n\n# port\n-http_port=8081\n"

test lns put short after rm "cluster_name" = "\n# port\n-http_port=8081\n"
test lns put short after rm "#comment" ; rm "http_port" = "-cluster_name=devcluster\n"
test lns put short after set "cluster_name" "" ; clear "http_port" =
  "-cluster_name=\n\n# port\n-http_port\n"
test lns put short after set "cluster_name" "a\nb" = *
