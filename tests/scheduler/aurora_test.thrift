/*
 * aurora_test.thrift: the part of Apache Aurora's API (api.thrift and
 * storage.thrift, releases 0.12-0.22) that aurora-restore speaks, for the
 * test fixtures and the test scheduler. Field ids are Aurora's own; only
 * the structs and fields the tests need are here. Fields Aurora removed
 * (Identity.role, TaskConfig 3/8/9/10/26, Snapshot 9/11/12) are kept,
 * marked "old", so the tests can write the backups older releases wrote.
 */
namespace py aurora_test

enum ResponseCode {
  INVALID_REQUEST    = 0,
  OK                 = 1,
  ERROR              = 2,
  WARNING            = 3,
  AUTH_FAILED        = 4,
  JOB_UPDATING_ERROR = 5,   // LOCK_ERROR before 0.13
  ERROR_TRANSIENT    = 6
}

enum ScheduleStatus {
  INIT        = 11,
  THROTTLED   = 16,
  PENDING     = 0,
  ASSIGNED    = 9,
  STARTING    = 1,
  RUNNING     = 2,
  FINISHED    = 3,
  PREEMPTING  = 13,
  RESTARTING  = 12,
  DRAINING    = 17,
  FAILED      = 4,
  KILLED      = 5,
  KILLING     = 6,
  LOST        = 7,
  PARTITIONED = 18
}

enum MaintenanceMode {
  NONE      = 1,
  SCHEDULED = 2,
  DRAINING  = 3,
  DRAINED   = 4
}

enum CronCollisionPolicy {
  KILL_EXISTING = 0,
  CANCEL_NEW    = 1,
  RUN_OVERLAP   = 2
}

struct Identity {
  1: string role            // old: gone from 0.13 on
  2: string user
}

struct JobKey {
  1: string role
  2: string environment
  3: string name
}

struct Metadata {
  1: string key
  2: string value
}

union Resource {
  1: double numCpus
  2: i64 ramMb
  3: i64 diskMb
  4: string namedPort
  5: i64 numGpus
}

struct ResourceAggregate {
  1: double numCpus         // old
  2: i64 ramMb              // old
  3: i64 diskMb             // old
  4: set<Resource> resources
}

struct ValueConstraint {
  1: bool negated
  2: set<string> values
}

struct LimitConstraint {
  1: i32 limit
}

union TaskConstraint {
  1: ValueConstraint value
  2: LimitConstraint limit
}

struct Constraint {
  1: string name
  2: TaskConstraint constraint
}

struct ExecutorConfig {
  1: string name
  2: string data
}

struct DockerParameter {
  1: string name
  2: string value
}

struct DockerContainer {
  1: string image
  2: optional list<DockerParameter> parameters
}

struct MesosContainer {
}

union Container {
  1: MesosContainer mesos
  2: DockerContainer docker
}

struct TaskConfig {
  28: JobKey job
  17: Identity owner
   3: string jobName          // old
  26: string environment      // old
   7: bool isService
   8: double numCpus          // old
   9: i64 ramMb               // old
  10: i64 diskMb              // old
  11: i32 priority
  13: i32 maxTaskFailures
  18: optional bool production
  30: optional string tier
  32: set<Resource> resources
  20: set<Constraint> constraints
  21: set<string> requestedPorts   // old
  22: optional map<string, string> taskLinks
  23: optional string contactEmail
  25: optional ExecutorConfig executorConfig
  27: optional set<Metadata> metadata
  29: optional Container container
}

struct TaskEvent {
  1: i64 timestamp
  2: ScheduleStatus status
  3: optional string message
  4: optional string scheduler
}

struct AssignedTask {
  1: string taskId
  2: string slaveId
  3: string slaveHost
  4: TaskConfig task
  5: map<string, i32> assignedPorts
  6: i32 instanceId
}

struct ScheduledTask {
  1: AssignedTask assignedTask
  2: ScheduleStatus status
  3: i32 failureCount
  6: i32 timesPartitioned
  4: list<TaskEvent> taskEvents
  5: string ancestorId
}

struct TaskQuery {
  14: optional string role
   9: optional string environment
   2: optional string jobName
   4: optional set<string> taskIds
   5: optional set<ScheduleStatus> statuses
   7: optional set<i32> instanceIds
  10: optional set<string> slaveHosts
  11: optional set<JobKey> jobKeys
  12: optional i32 offset
  13: optional i32 limit
}

struct ResponseDetail {
  1: string message
}

struct ServerInfo {
  1: string clusterName
  3: string statsUrlPrefix
}

struct ScheduleStatusResult {
  1: list<ScheduledTask> tasks
}

struct ListBackupsResult {
  1: set<string> backups
}

struct QueryRecoveryResult {
  1: set<ScheduledTask> tasks
}

union Result {
  3: ScheduleStatusResult scheduleStatusResult
  6: ListBackupsResult listBackupsResult
  9: QueryRecoveryResult queryRecoveryResult
}

struct Response {
  1: ResponseCode responseCode
  5: ServerInfo serverInfo
  3: optional Result result
  6: list<ResponseDetail> details
}

/* AuroraAdmin extends AuroraSchedulerManager extends ReadOnlyScheduler in
 * Aurora; one service is enough here, the wire only carries the names. */
service AuroraAdmin {
  Response getTasksWithoutConfigs(1: TaskQuery query)
  Response performBackup()
  Response listBackups()
  Response stageRecovery(1: string backupId)
  Response queryRecovery(1: TaskQuery query)
  Response deleteRecoveryTasks(1: TaskQuery query)
  Response commitRecovery()
  Response unloadRecovery()
}

/* storage.thrift */

struct Attribute {
  1: string name
  2: set<string> values
}

struct HostAttributes {
  1: string host
  2: set<Attribute> attributes
  3: optional MaintenanceMode mode
  4: optional string slaveId
}

struct JobConfiguration {
  9: JobKey key
  7: Identity owner
  4: optional string cronSchedule
  5: CronCollisionPolicy cronCollisionPolicy
  6: TaskConfig taskConfig
  8: i32 instanceCount
}

struct StoredCronJob {
  3: JobConfiguration jobConfiguration
}

struct SchedulerMetadata {
  1: string frameworkId
  8: map<string, string> details
}

struct QuotaConfiguration {
  1: string role
  2: ResourceAggregate quota
}

struct Snapshot {
   1: i64 timestamp
   3: set<HostAttributes> hostAttributes
   4: set<ScheduledTask> tasks
   5: set<StoredCronJob> cronJobs
   6: SchedulerMetadata schedulerMetadata
   8: set<QuotaConfiguration> quotaConfigurations
  11: list<string> dbScript            // old: 0.13-0.19
  12: bool experimentalTaskStore       // old: 0.13-0.19
}
