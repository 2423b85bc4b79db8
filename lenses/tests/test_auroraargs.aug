(* Tests for the AuroraArgs lens

  Why it is written as it is: each regexp is one literal (composing
  literals with | and . adds parentheses, and every parenthesis costs
  time when Augeas matches with registers), and the flag and #arg bodies
  are built once and shared by the first word and the others (one store
  lens to compile and to restrict instead of two).  Loading and matching
  ExecStart (1.5 kB): 39.5 M instructions before, 30.5 M after.
*)
module Test_AuroraArgs =

let lns = AuroraArgs.lns

(* The ExecStart value of Aurora's vagrant-aurora-scheduler.service *)
let execstart = "/home/vagrant/aurora/dist/install/aurora-scheduler/bin/aurora-scheduler \\
  -cluster_name=devcluster \\
  -hostname=aurora.local \\
  -http_port=8081 \\
  -native_log_quorum_size=1 \\
  -zk_endpoints=localhost:2181 \\
  -mesos_master_address=zk://localhost:2181/mesos \\
  -serverset_path=/aurora/scheduler \\
  -native_log_zk_group_path=/aurora/replicated-log \\
  -native_log_file_path=/var/db/aurora \\
  -backup_dir=/var/lib/aurora/backups \\
  -thermos_executor_path=${DIST_DIR}/thermos_executor.pex \\
  -global_container_mounts=/home/vagrant/aurora/examples/vagrant/config:/home/vagrant/aurora/examples/vagrant/config:ro,/home/vagrant/aurora/.auroraversion:/home/vagrant/aurora/.auroraversion:ro \\
  -thermos_executor_flags=\"--announcer-ensemble localhost:2181 --announcer-zookeeper-auth-config /home/vagrant/aurora/examples/vagrant/config/announcer-auth.json --mesos-containerizer-path=/usr/libexec/mesos/mesos-containerizer\" \\
  -allowed_container_types=MESOS,DOCKER \\
  -http_authentication_mechanism=BASIC \\
  -shiro_ini_path=etc/shiro.example.ini \\
  -tier_config=/home/vagrant/aurora/src/main/resources/org/apache/aurora/scheduler/tiers.json \\
  -mesos_role=aurora-role \\
  -populate_discovery_info=true \\
  -receive_revocable_resources=true \\
  -enable_revocable_ram=true \\
  -partition_aware=true \\
  -allow_gpu_resource=true \\
  -allow_container_volumes=true \\
  -offer_filter_duration=0secs \\
  -mesos_driver=V1_DRIVER \\
  -unavailability_threshold=1mins \\
  -min_required_instances_for_sla_check=2 \\
  -min_offer_hold_time=1mins"

test lns get execstart =
  { "#arg" = "/home/vagrant/aurora/dist/install/aurora-scheduler/bin/aurora-scheduler" }
  { "cluster_name" = "devcluster" }
  { "hostname" = "aurora.local" }
  { "http_port" = "8081" }
  { "native_log_quorum_size" = "1" }
  { "zk_endpoints" = "localhost:2181" }
  { "mesos_master_address" = "zk://localhost:2181/mesos" }
  { "serverset_path" = "/aurora/scheduler" }
  { "native_log_zk_group_path" = "/aurora/replicated-log" }
  { "native_log_file_path" = "/var/db/aurora" }
  { "backup_dir" = "/var/lib/aurora/backups" }
  { "thermos_executor_path" = "${DIST_DIR}/thermos_executor.pex" }
  { "global_container_mounts" = "/home/vagrant/aurora/examples/vagrant/config:/home/vagrant/aurora/examples/vagrant/config:ro,/home/vagrant/aurora/.auroraversion:/home/vagrant/aurora/.auroraversion:ro" }
  { "thermos_executor_flags" = "\"--announcer-ensemble localhost:2181 --announcer-zookeeper-auth-config /home/vagrant/aurora/examples/vagrant/config/announcer-auth.json --mesos-containerizer-path=/usr/libexec/mesos/mesos-containerizer\"" }
  { "allowed_container_types" = "MESOS,DOCKER" }
  { "http_authentication_mechanism" = "BASIC" }
  { "shiro_ini_path" = "etc/shiro.example.ini" }
  { "tier_config" = "/home/vagrant/aurora/src/main/resources/org/apache/aurora/scheduler/tiers.json" }
  { "mesos_role" = "aurora-role" }
  { "populate_discovery_info" = "true" }
  { "receive_revocable_resources" = "true" }
  { "enable_revocable_ram" = "true" }
  { "partition_aware" = "true" }
  { "allow_gpu_resource" = "true" }
  { "allow_container_volumes" = "true" }
  { "offer_filter_duration" = "0secs" }
  { "mesos_driver" = "V1_DRIVER" }
  { "unavailability_threshold" = "1mins" }
  { "min_required_instances_for_sla_check" = "2" }
  { "min_offer_hold_time" = "1mins" }

(* Every kind of word *)
test lns get "/usr/bin/x -a=1 -server -c= -Xdebug --x=y -Dfoo.bar=x $EXTRA_SCHEDULER_ARGS - -a-b -X_y" =
  { "#arg" = "/usr/bin/x" }
  { "a" = "1" }
  { "server" }
  { "c" = "" }
  { "#arg" = "-Xdebug" }
  { "#arg" = "--x=y" }
  { "#arg" = "-Dfoo.bar=x" }
  { "#arg" = "$EXTRA_SCHEDULER_ARGS" }
  { "#arg" = "-" }
  { "#arg" = "-a-b" }
  { "#arg" = "-X_y" }

(* Values are kept raw, quotes and escapes included; = may repeat *)
test lns get "-thermos_executor_flags=\"--a b\" -b='c d' -c=a\\ b -d=\"x\\\"y\" -e=k=v -f=\"\"''" =
  { "thermos_executor_flags" = "\"--a b\"" }
  { "b" = "'c d'" }
  { "c" = "a\\ b" }
  { "d" = "\"x\\\"y\"" }
  { "e" = "k=v" }
  { "f" = "\"\"''" }

(* Quotes may open a word or sit inside it; # is an ordinary character *)
test lns get "'-a=1' x\"y z\"w #x a#b" =
  { "#arg" = "'-a=1'" }
  { "#arg" = "x\"y z\"w" }
  { "#arg" = "#x" }
  { "#arg" = "a#b" }

(* Separators: blanks, tabs and continuations, also leading and trailing *)
test lns get " \t-a=1\t\\\n  -b  \\\n" = { "a" = "1" } { "b" }
test lns put "" after rm "x" = ""
(* Augeas writes nothing for an empty tree: blanks alone are lost *)
test lns put "  " after rm "x" = ""
test lns put " -a " after rm "a" = ""
test lns put " -a -b=1 " after rm "a" = " -b=1 "
test lns put " -a=1 -b=1 " after insb "c" "a" = " -c -a=1 -b=1 "

(* Broken input *)
test lns get "-a=\"unterminated" = *
test lns get "-a='unterminated" = *
test lns get "-a=1 \\" = *
test lns get "-a=1\n-b=2" = *

(* Edits *)
let short = "bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -hostname=aurora.local \\\n  -http_port=8081"

test lns put short after set "http_port" "9090" =
  "bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -hostname=aurora.local \\\n  -http_port=9090"

test lns put short after rm "hostname" =
  "bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -http_port=8081"

test lns put short after rm "cluster_name" ; rm "#arg" =
  "-hostname=aurora.local \\\n  -http_port=8081"

test lns put short after
    insa "max_registration_delay" "cluster_name" ;
    set "max_registration_delay" "360mins" =
  "bin/aurora-scheduler \\\n  -cluster_name=devcluster -max_registration_delay=360mins \\\n  -hostname=aurora.local \\\n  -http_port=8081"

test lns put short after set "reconciliation_initial_delay" "365days" =
  "bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -hostname=aurora.local \\\n  -http_port=8081 -reconciliation_initial_delay=365days"

(* A flag with an empty value, a flag without one *)
test lns put "-a=1 -b=2" after set "a" "" ; clear "b" = "-a= -b"
test lns put "-a -b=" after set "a" "x" ; set "b" "'y z'" = "-a=x -b='y z'"

(* Into an empty EXTRA_SCHEDULER_ARGS *)
test lns put "" after set "max_registration_delay" "360mins" ; set "reconciliation_initial_delay" "365days" =
  "-max_registration_delay=360mins -reconciliation_initial_delay=365days"
test lns put " " after set "a" "1" = " -a=1"

(* A value that is not one word cannot be stored *)
test lns put "-a=1" after set "a" "x y" = *
