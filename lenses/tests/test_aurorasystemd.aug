(* Tests for the AuroraSystemd lens *)
module Test_AuroraSystemd =

let lns = AuroraSystemd.lns

(* Aurora's examples/vagrant/systemd/aurora-scheduler.service *)
let service = "# Licensed under the Apache License, Version 2.0 (the \"License\");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an \"AS IS\" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

[Unit]
Description=Aurora Scheduler
After=network.target
Wants=network.target

[Service]
# Environment variables control the behavior of the Mesos scheduler driver (libmesos).
Environment=\"GLOG_v=1\"
Environment=\"LIBPROCESS_PORT=8083\"
Environment=\"LIBPROCESS_IP=192.168.33.7\"
Environment=\"MESOS_NATIVE_JAVA_LIBRARY=/usr/lib/libmesos.so\"
Environment=\"DIST_DIR=/home/vagrant/aurora/dist\"

# Identifier for rsyslog redirect (see `install_rsyslog_config` in `provision-dev-cluster.sh`).
SyslogIdentifier=aurora-scheduler

# Flags that control the behavior of the JVM.
Environment=\"JAVA_OPTS='-Djava.library.path=/usr/lib \\
  -Xdebug \\
  -Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=5005'\"
WorkingDirectory=/home/vagrant/aurora/dist/install/aurora-scheduler

# min_offer_hold_time is set to 1mins to shorten time to update attributes on offers. AURORA-1985.
ExecStart=/home/vagrant/aurora/dist/install/aurora-scheduler/bin/aurora-scheduler \\
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
  -min_offer_hold_time=1mins
User=root
Group=root
Restart=always
RestartSec=20
LimitNOFILE=16384

[Install]
WantedBy=multi-user.target
"

test lns get service =
  { "#comment" = "Licensed under the Apache License, Version 2.0 (the \"License\");" }
  { "#comment" = "you may not use this file except in compliance with the License." }
  { "#comment" = "You may obtain a copy of the License at" }
  { "#comment" }
  { "#comment" = "http://www.apache.org/licenses/LICENSE-2.0" }
  { "#comment" }
  { "#comment" = "Unless required by applicable law or agreed to in writing, software" }
  { "#comment" = "distributed under the License is distributed on an \"AS IS\" BASIS," }
  { "#comment" = "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied." }
  { "#comment" = "See the License for the specific language governing permissions and" }
  { "#comment" = "limitations under the License." }
  { "Unit"
    { "Description" = "Aurora Scheduler" }
    { "After" = "network.target" }
    { "Wants" = "network.target" } }
  { "Service"
    { "#comment" = "Environment variables control the behavior of the Mesos scheduler driver (libmesos)." }
    { "Environment" = "\"GLOG_v=1\"" }
    { "Environment" = "\"LIBPROCESS_PORT=8083\"" }
    { "Environment" = "\"LIBPROCESS_IP=192.168.33.7\"" }
    { "Environment" = "\"MESOS_NATIVE_JAVA_LIBRARY=/usr/lib/libmesos.so\"" }
    { "Environment" = "\"DIST_DIR=/home/vagrant/aurora/dist\"" }
    { "#comment" = "Identifier for rsyslog redirect (see `install_rsyslog_config` in `provision-dev-cluster.sh`)." }
    { "SyslogIdentifier" = "aurora-scheduler" }
    { "#comment" = "Flags that control the behavior of the JVM." }
    { "Environment" = "\"JAVA_OPTS='-Djava.library.path=/usr/lib \\
  -Xdebug \\
  -Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=5005'\"" }
    { "WorkingDirectory" = "/home/vagrant/aurora/dist/install/aurora-scheduler" }
    { "#comment" = "min_offer_hold_time is set to 1mins to shorten time to update attributes on offers. AURORA-1985." }
    { "ExecStart" = "/home/vagrant/aurora/dist/install/aurora-scheduler/bin/aurora-scheduler \\
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
  -min_offer_hold_time=1mins" }
    { "User" = "root" }
    { "Group" = "root" }
    { "Restart" = "always" }
    { "RestartSec" = "20" }
    { "LimitNOFILE" = "16384" } }
  { "Install"
    { "WantedBy" = "multi-user.target" } }

(* A drop-in replacing ExecStart: the reset line has no value *)
let dropin = "# /etc/systemd/system/aurora-scheduler.service.d/restore.conf
; written by hand
[Service]
ExecStart=
ExecStart = /usr/bin/aurora-scheduler \\
\t-cluster_name=x \\
\t-max_registration_delay=360mins
Environment=\"A=1\" \"B=2\"   
"

test lns get dropin =
  { "#comment" = "/etc/systemd/system/aurora-scheduler.service.d/restore.conf" }
  { "#comment" = "written by hand" }
  { "Service"
    { "ExecStart" }
    { "ExecStart" = "/usr/bin/aurora-scheduler \\\n\t-cluster_name=x \\\n\t-max_registration_delay=360mins" }
    { "Environment" = "\"A=1\" \"B=2\"   " } }

(* Continuation lines starting with a comment sign or blank are still part
   of the value; a line may start with the backslash *)
test lns get "[Service]\nExecStart=\\\n  /bin/x \\\n# not a comment\n\n[Install]\n;\n" =
  { "Service"
    { "ExecStart" = "\\\n  /bin/x \\\n# not a comment" } }
  { "Install"
    { "#comment" } }

(* Broken input *)
test lns get "[Service]\nthis is garbage\n" = *
test lns get "User=root\n[Service]\n" = *
test lns get "[Service]\nExecStart=/bin/x \\\n" = *
test lns get "[Service\nUser=root\n" = *

(* Edits *)
let unit = "[Unit]\nDescription=Aurora\n\n[Service]\nExecStart=/bin/x \\\n  -a=1\nUser=root\n"

test lns put unit after set "Service/ExecStart" "/bin/x \\\n  -a=2" =
  "[Unit]\nDescription=Aurora\n\n[Service]\nExecStart=/bin/x \\\n  -a=2\nUser=root\n"

test lns put unit after rm "Service/User" =
  "[Unit]\nDescription=Aurora\n\n[Service]\nExecStart=/bin/x \\\n  -a=1\n"

test lns put unit after set "Service/Restart" "always" =
  "[Unit]\nDescription=Aurora\n\n[Service]\nExecStart=/bin/x \\\n  -a=1\nUser=root\nRestart=always\n"

test lns put unit after insb "ExecStart" "Service/ExecStart" =
  "[Unit]\nDescription=Aurora\n\n[Service]\nExecStart=\nExecStart=/bin/x \\\n  -a=1\nUser=root\n"

test lns put unit after set "Service/ExecStart" "" = *
test lns put unit after set "Service/ExecStart" "/bin/x \\" = *
test lns put "" after set "Service/ExecStart" "/bin/y" = "[Service]\nExecStart=/bin/y\n"
