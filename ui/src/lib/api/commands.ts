// Typed wrappers around the Tauri commands of src-tauri/src/commands/.
// Argument and result types are generated from Rust (./bindings, by ts-rs); keep this file a
// one-to-one mirror of the command list: one function per command, no logic.
import { invoke } from '@tauri-apps/api/core';

import type { AboutInfo } from './bindings/AboutInfo';
import type { AppInfo } from './bindings/AppInfo';
import type { OfficeSettings } from './bindings/OfficeSettings';
import type { AnnualReportSummary } from './bindings/AnnualReportSummary';
import type { AreaCandidate } from './bindings/AreaCandidate';
import type { DrillKey } from './bindings/DrillKey';
import type { DrillList } from './bindings/DrillList';
import type { MunicipalityReference } from './bindings/MunicipalityReference';
import type { Statistics } from './bindings/Statistics';
import type { StatsFilter } from './bindings/StatsFilter';
import type { ReportFormat } from './bindings/ReportFormat';
import type { ImageKind } from './bindings/ImageKind';
import type { BackgroundStatus } from './bindings/BackgroundStatus';
import type { LetterheadImageInfo } from './bindings/LetterheadImageInfo';
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupOverview } from './bindings/BackupOverview';
import type { RestoreReport } from './bindings/RestoreReport';
import type { ExchangeReport } from './bindings/ExchangeReport';
import type { PairingOffer } from './bindings/PairingOffer';
import type { PeerInfo } from './bindings/PeerInfo';
import type { SyncExportSummary } from './bindings/SyncExportSummary';
import type { TeamNetwork } from './bindings/TeamNetwork';
import type { SyncFilePlan } from './bindings/SyncFilePlan';
import type { SyncImportReport } from './bindings/SyncImportReport';
import type { SyncStatus } from './bindings/SyncStatus';
import type { TeamOverview } from './bindings/TeamOverview';
import type { ColumnMapping } from './bindings/ColumnMapping';
import type { ImportReport } from './bindings/ImportReport';
import type { ImportRequest } from './bindings/ImportRequest';
import type { ImportRun } from './bindings/ImportRun';
import type { ImportTarget } from './bindings/ImportTarget';
import type { ImporterInfo } from './bindings/ImporterInfo';
import type { Inspection } from './bindings/Inspection';
import type { SavedMapping } from './bindings/SavedMapping';
import type { UndoReport } from './bindings/UndoReport';
import type { AttendanceState } from './bindings/AttendanceState';
import type { CancelOutcome } from './bindings/CancelOutcome';
import type { CheckInReceipt } from './bindings/CheckInReceipt';
import type { CheckInUndo } from './bindings/CheckInUndo';
import type { DeskHit } from './bindings/DeskHit';
import type { DuplicateCandidate } from './bindings/DuplicateCandidate';
import type { DuplicatePair } from './bindings/DuplicatePair';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { MergeChoices } from './bindings/MergeChoices';
import type { MergePlan } from './bindings/MergePlan';
import type { Event } from './bindings/Event';
import type { BadgeLayout } from './bindings/BadgeLayout';
import type { BadgeRequest } from './bindings/BadgeRequest';
import type { CertificateRequest } from './bindings/CertificateRequest';
import type { DocumentSummary } from './bindings/DocumentSummary';
import type { ExportPlan } from './bindings/ExportPlan';
import type { ExportProfile } from './bindings/ExportProfile';
import type { ExportRequest } from './bindings/ExportRequest';
import type { ExportSummary } from './bindings/ExportSummary';
import type { ExporterInfo } from './bindings/ExporterInfo';
import type { EventDetail } from './bindings/EventDetail';
import type { EventInput } from './bindings/EventInput';
import type { EventSummary } from './bindings/EventSummary';
import type { Organisation } from './bindings/Organisation';
import type { OrganisationInput } from './bindings/OrganisationInput';
import type { OrganisationMergeChoices } from './bindings/OrganisationMergeChoices';
import type { OrganisationMergePlan } from './bindings/OrganisationMergePlan';
import type { Person } from './bindings/Person';
import type { PersonInput } from './bindings/PersonInput';
import type { RegisterInput } from './bindings/RegisterInput';
import type { RegisterOutcome } from './bindings/RegisterOutcome';
import type { RegistrationDetails } from './bindings/RegistrationDetails';
import type { RegistrationRow } from './bindings/RegistrationRow';
import type { RegistrationStatus } from './bindings/RegistrationStatus';
import type { Session } from './bindings/Session';
import type { SessionInput } from './bindings/SessionInput';
import type { StatusChange } from './bindings/StatusChange';
import type { SuggestionOutcome } from './bindings/SuggestionOutcome';
import type { Presentation } from './bindings/Presentation';
import type { Topic } from './bindings/Topic';
import type { TopicProposal } from './bindings/TopicProposal';
import type { WishBoard } from './bindings/WishBoard';
import type { DraftPlan } from './bindings/DraftPlan';
import type { MailKind } from './bindings/MailKind';
import type { MailSettings } from './bindings/MailSettings';
import type { MailSetup } from './bindings/MailSetup';
import type { MailTemplate } from './bindings/MailTemplate';
import type { MailtoChunks } from './bindings/MailtoChunks';
import type { MessageView } from './bindings/MessageView';
import type { OutboxFilter } from './bindings/OutboxFilter';
import type { OutboxMessage } from './bindings/OutboxMessage';
import type { PreviewRequest } from './bindings/PreviewRequest';
import type { SavedSetup } from './bindings/SavedSetup';
import type { SendMode } from './bindings/SendMode';
import type { SendReport } from './bindings/SendReport';
import type { TemplatePreview } from './bindings/TemplatePreview';
import type { AuskunftSummary } from './bindings/AuskunftSummary';
import type { Consent } from './bindings/Consent';
import type { ConsentInput } from './bindings/ConsentInput';
import type { DeletionLogEntry } from './bindings/DeletionLogEntry';
import type { DeletionReport } from './bindings/DeletionReport';
import type { EventRetention } from './bindings/EventRetention';
import type { LeftoverPersons } from './bindings/LeftoverPersons';

// App

export const appInfo = () => invoke<AppInfo>('app_info');
export const restoreDatabase = () => invoke<string>('restore_database');
export const aboutInfo = () => invoke<AboutInfo>('about_info');
export const openLog = () => invoke<null>('open_log');

// Events

export const listEvents = () => invoke<EventSummary[]>('list_events');
export const getEvent = (id: number) => invoke<EventDetail>('get_event_detail', { id });
export const createEvent = (input: EventInput) => invoke<Event>('create_event', { input });
export const updateEvent = (id: number, input: EventInput) =>
  invoke<Event>('update_event', { id, input });
export const nextEventDraft = (id: number) => invoke<EventInput>('next_event_draft', { id });
export const deleteEvent = (id: number, confirmTitle: string | null) =>
  invoke<null>('delete_event', { id, confirmTitle });
export const eventWithNumber = (series: EventInput['series'], number: number, except: number | null) =>
  invoke<Event | null>('event_with_number', { series, number, except });
export const createSession = (eventId: number, input: SessionInput) =>
  invoke<Session>('create_session', { eventId, input });

// Contacts

export const searchPersons = (query: string, limit = 8) =>
  invoke<Person[]>('search_persons', { query, limit });
export const listPersons = () => invoke<Person[]>('list_persons');
export const getPerson = (id: number) => invoke<Person>('get_person', { id });
export const createPerson = (input: PersonInput) => invoke<Person>('create_person', { input });
export const updatePerson = (id: number, input: PersonInput) =>
  invoke<Person>('update_person', { id, input });
export const findDuplicates = (input: PersonInput, exceptId: number | null = null) =>
  invoke<DuplicateCandidate[]>('find_duplicates', { input, exceptId });
export const duplicatePairs = () => invoke<DuplicatePair[]>('duplicate_pairs');
export const personHistory = (id: number) => invoke<HistoryEntry[]>('person_history', { id });
/** What merging would do (writes nothing); `choices` null = the default per field. */
export const previewMerge = (keepId: number, removeId: number, choices: MergeChoices | null = null) =>
  invoke<MergePlan>('preview_merge', { keepId, removeId, choices });
export const mergePersons = (keepId: number, removeId: number, choices: MergeChoices) =>
  invoke<MergePlan>('merge_persons', { keepId, removeId, choices });
export const listOrganisations = () => invoke<Organisation[]>('list_organisations');
export const createOrganisation = (input: OrganisationInput) =>
  invoke<Organisation>('create_organisation', { input });
export const updateOrganisation = (id: number, input: OrganisationInput) =>
  invoke<Organisation>('update_organisation', { id, input });
export const organisationAreaCandidates = (input: OrganisationInput) =>
  invoke<AreaCandidate[]>('organisation_area_candidates', { input });
export const municipalityReference = () => invoke<MunicipalityReference>('municipality_reference');

// Auswertung

export const statistics = (filter: StatsFilter) => invoke<Statistics>('statistics', { filter });
export const statisticsDrill = (filter: StatsFilter, key: DrillKey) =>
  invoke<DrillList>('statistics_drill', { filter, key });
export const planAnnualReport = (filter: StatsFilter, format: ReportFormat) =>
  invoke<ExportPlan>('plan_annual_report', { filter, format });
export const exportAnnualReport = (filter: StatsFilter, path: string) =>
  invoke<AnnualReportSummary>('export_annual_report', { filter, path });
export const organisationDuplicatePairs = () =>
  invoke<[Organisation, Organisation][]>('organisation_duplicate_pairs');
export const previewOrganisationMerge = (
  keepId: number,
  removeId: number,
  choices: OrganisationMergeChoices | null,
) => invoke<OrganisationMergePlan>('preview_organisation_merge', { keepId, removeId, choices });
export const mergeOrganisations = (keepId: number, removeId: number, choices: OrganisationMergeChoices) =>
  invoke<OrganisationMergePlan>('merge_organisations', { keepId, removeId, choices });

// Registrations

export const register = (input: RegisterInput) => invoke<RegisterOutcome>('register', { input });
export const cancelRegistration = (registrationId: number, reason: string) =>
  invoke<CancelOutcome>('cancel_registration', { registrationId, reason });
export const setRegistrationStatus = (
  registrationIds: number[],
  status: RegistrationStatus,
  reason: string,
) => invoke<RegistrationRow[]>('set_registration_status', { registrationIds, status, reason });
export const updateRegistration = (registrationId: number, details: RegistrationDetails) =>
  invoke<RegistrationRow>('update_registration', { registrationId, details });
export const statusHistory = (registrationId: number) =>
  invoke<StatusChange[]>('status_history', { registrationId });

// Check-in and attendance

export const checkIn = (registrationId: number, day: string | null = null) =>
  invoke<CheckInReceipt>('check_in', { registrationId, day });
/** Undoes a check-in with its walk-in or admission; null when the registration is gone. */
export const undoCheckIn = (undo: CheckInUndo) =>
  invoke<RegistrationRow | null>('undo_check_in', { undo });
/** "Trotzdem einlassen": admits from the waiting list over the capacity and checks in. */
export const admit = (registrationId: number, day: string | null = null) =>
  invoke<CheckInReceipt>('admit', { registrationId, day });
export const setAttendance = (
  registrationId: number,
  day: string | null,
  sessionId: number | null,
  attendanceState: AttendanceState,
) => invoke<RegistrationRow>('set_attendance', { registrationId, day, sessionId, attendanceState });
export const walkIn = (
  eventId: number,
  personId: number | null,
  newPerson: PersonInput | null,
  day: string | null = null,
) => invoke<CheckInReceipt>('walk_in', { eventId, personId, newPerson, day });
export const deskSearch = (eventId: number, query: string, day: string | null = null, limit = 8) =>
  invoke<DeskHit[]>('desk_search', { eventId, query, day, limit });

// Wishes (survey answers): curation board, suggestions, presentation, topic catalogue.
// Board actions return the updated board.

export const wishBoard = (eventId: number) => invoke<WishBoard>('wish_board', { eventId });
export const addWishes = (eventId: number, pasted: string) =>
  invoke<WishBoard>('add_wishes', { eventId, pasted });
export const editWish = (eventId: number, wishId: number, text: string) =>
  invoke<WishBoard>('edit_wish', { eventId, wishId, text });
export const deleteWish = (eventId: number, wishId: number) =>
  invoke<WishBoard>('delete_wish', { eventId, wishId });
export const moveWish = (eventId: number, wishId: number, clusterId: number | null) =>
  invoke<WishBoard>('move_wish', { eventId, wishId, clusterId });
export const runSuggestions = (eventId: number) =>
  invoke<SuggestionOutcome>('run_suggestions', { eventId });
export const createCluster = (eventId: number, label: string, group: string | null) =>
  invoke<WishBoard>('create_cluster', { eventId, label, group });
export const renameCluster = (
  eventId: number,
  clusterId: number,
  label: string,
  group: string | null,
) => invoke<WishBoard>('rename_cluster', { eventId, clusterId, label, group });
export const mergeClusters = (eventId: number, sourceId: number, targetId: number) =>
  invoke<WishBoard>('merge_clusters', { eventId, sourceId, targetId });
export const splitCluster = (eventId: number, clusterId: number, wishIds: number[], label: string) =>
  invoke<WishBoard>('split_cluster', { eventId, clusterId, wishIds, label });
export const deleteCluster = (eventId: number, clusterId: number) =>
  invoke<WishBoard>('delete_cluster', { eventId, clusterId });
export const setClusterLocked = (eventId: number, clusterId: number, locked: boolean) =>
  invoke<WishBoard>('set_cluster_locked', { eventId, clusterId, locked });
export const setShowGeneral = (eventId: number, show: boolean) =>
  invoke<WishBoard>('set_show_general', { eventId, show });
export const undoWishes = (eventId: number) => invoke<WishBoard>('undo_wishes', { eventId });
export const finishCuration = (eventId: number) => invoke<number>('finish_curation', { eventId });
export const wishPresentation = (eventId: number) =>
  invoke<Presentation>('wish_presentation', { eventId });
export const wishTopicProposal = (eventId: number, clusterId: number) =>
  invoke<TopicProposal>('wish_topic_proposal', { eventId, clusterId });
export const adoptCluster = (eventId: number, clusterId: number, topic: Topic) =>
  invoke<WishBoard>('adopt_cluster', { eventId, clusterId, topic });
export const listTopics = () => invoke<Topic[]>('list_topics');
export const saveTopic = (topic: Topic) => invoke<Topic[]>('save_topic', { topic });
export const deleteTopic = (key: string) => invoke<Topic[]>('delete_topic', { key });

// Exports (Excel/CSV): registry, plan (file name), writing, saved profiles.

export const listExporters = () => invoke<ExporterInfo[]>('list_exporters');
export const planExport = (request: ExportRequest) =>
  invoke<ExportPlan>('plan_export', { request });
export const exportToFile = (request: ExportRequest, path: string) =>
  invoke<ExportSummary>('export_to_file', { request, path });
export const listExportProfiles = (exporterId: string | null = null) =>
  invoke<ExportProfile[]>('list_export_profiles', { exporterId });
export const saveExportProfile = (
  exporterId: string,
  name: string,
  options: ExportRequest['options'],
) => invoke<ExportProfile>('save_export_profile', { exporterId, name, options });
export const deleteExportProfile = (id: number) => invoke<null>('delete_export_profile', { id });
export const openExport = (path: string, reveal: boolean) =>
  invoke<null>('open_export', { path, reveal });

// Documents (PDF): badge layouts, plan (file name), writing badges and certificates.

export const badgeLayouts = () => invoke<BadgeLayout[]>('badge_layouts');
export const planDocument = (kind: 'badges' | 'certificates', eventId: number) =>
  invoke<ExportPlan>('plan_document', { kind, eventId });
export const writeBadges = (request: BadgeRequest, path: string) =>
  invoke<DocumentSummary>('write_badges', { request, path });
export const writeCertificates = (request: CertificateRequest, path: string, perPerson: boolean) =>
  invoke<DocumentSummary>('write_certificates', { request, path, perPerson });

// Imports (contacts, form registrations, Zoom/Teams attendance): the wizard's steps. Preview and
// import emit `import-progress` events with [done, total].

export const listImporters = () => invoke<ImporterInfo[]>('list_importers');
export const inspectImport = (path: string, request: ImportRequest) =>
  invoke<Inspection>('inspect_import', { path, request });
export const previewImport = (path: string, request: ImportRequest) =>
  invoke<ImportReport>('preview_import', { path, request });
export const runImport = (path: string, request: ImportRequest) =>
  invoke<ImportReport>('run_import', { path, request });
export const saveImportMapping = (target: ImportTarget, name: string, mapping: ColumnMapping) =>
  invoke<SavedMapping>('save_import_mapping', { target, name, mapping });
export const lastImport = () => invoke<ImportRun | null>('last_import');
export const undoLastImport = () => invoke<UndoReport>('undo_last_import');

// Einstellungen: the office's settings and where the database lives.

export const getSettings = () => invoke<OfficeSettings>('get_settings');
export const saveSettings = (settings: OfficeSettings) =>
  invoke<OfficeSettings>('save_settings', { settings });
export const revealDatabase = () => invoke<null>('reveal_database');
export const letterheadImages = () => invoke<LetterheadImageInfo[]>('letterhead_images');
export const setLetterheadImage = (kind: ImageKind, path: string) =>
  invoke<LetterheadImageInfo>('set_letterhead_image', { kind, path });
export const removeLetterheadImage = (kind: ImageKind) => invoke<null>('remove_letterhead_image', { kind });
// Mail

export const mailOutbox = (filter: OutboxFilter) => invoke<OutboxMessage[]>('mail_outbox', { filter });
export const mailMessage = (id: number) => invoke<MessageView>('mail_message', { id });
export const mailApprove = (ids: number[]) => invoke<number>('mail_approve', { ids });
export const mailDiscard = (ids: number[]) => invoke<number>('mail_discard', { ids });
export const mailRetry = (ids: number[]) => invoke<number>('mail_retry', { ids });
export const mailSetup = () => invoke<MailSetup>('mail_setup');
export const saveMailSetup = (settings: MailSettings, password: string | null) =>
  invoke<SavedSetup>('save_mail_setup', { settings, password });
export const forgetMailPassword = () => invoke<void>('forget_mail_password');
export const mailSendTest = (to: string, password: string | null) =>
  invoke<void>('mail_send_test', { to, password });
export const mailSendNow = (password: string | null) => invoke<SendReport>('mail_send_now', { password });
export const mailTemplates = (eventId: number | null) => invoke<MailTemplate[]>('mail_templates', { eventId });
export const saveMailTemplate = (template: MailTemplate) =>
  invoke<MailTemplate>('save_mail_template', { template });
export const resetMailTemplate = (kind: MailKind, eventId: number | null) =>
  invoke<MailTemplate>('reset_mail_template', { kind, eventId });
export const previewMailTemplate = (request: PreviewRequest) =>
  invoke<TemplatePreview | null>('preview_mail_template', { request });
export const eventMailMode = (eventId: number) => invoke<SendMode>('event_mail_mode', { eventId });
export const setEventMailMode = (eventId: number, mode: SendMode) =>
  invoke<SendMode>('set_event_mail_mode', { eventId, mode });
export const planMailDraft = (id: number) => invoke<DraftPlan>('plan_mail_draft', { id });
export const saveMailDraft = (id: number, path: string, open: boolean) =>
  invoke<string>('save_mail_draft', { id, path, open });
export const mailInvitationCount = (eventId: number) => invoke<number>('mail_invitation_count', { eventId });
export const queueMailInvitations = (eventId: number) => invoke<number>('queue_mail_invitations', { eventId });
export const queueMailCertificates = (eventId: number) => invoke<number>('queue_mail_certificates', { eventId });
export const mailBackgroundStatus = () => invoke<BackgroundStatus>('mail_background_status');
export const mailMailto = (ids: number[]) => invoke<MailtoChunks>('mail_mailto', { ids });
export const openMailto = (link: string) => invoke<void>('open_mailto', { link });
// Datenschutz

export const personConsents = (personId: number) => invoke<Consent[]>('person_consents', { personId });
export const setPersonConsents = (personId: number, consents: ConsentInput[]) =>
  invoke<Consent[]>('set_person_consents', { personId, consents });
export const registerWithConsents = (input: RegisterInput, consents: ConsentInput[]) =>
  invoke<RegisterOutcome>('register_with_consents', { input, consents });
export const eventRetention = (eventId: number) => invoke<EventRetention>('event_retention', { eventId });
export const setDeletionDate = (eventId: number, date: string | null) =>
  invoke<EventRetention>('set_deletion_date', { eventId, date });
export const dueDeletions = () => invoke<EventRetention[]>('due_deletions');
export const previewShred = (eventId: number, leftover: LeftoverPersons) =>
  invoke<DeletionReport>('preview_shred', { eventId, leftover });
export const shredEvent = (eventId: number, leftover: LeftoverPersons) =>
  invoke<DeletionReport>('shred_event', { eventId, leftover });
export const previewErase = (personId: number) => invoke<DeletionReport>('preview_erase', { personId });
export const erasePerson = (personId: number) => invoke<DeletionReport>('erase_person', { personId });
export const deletionLog = () => invoke<DeletionLogEntry[]>('deletion_log');
export const planAuskunft = (personId: number, format: 'xlsx' | 'json') =>
  invoke<ExportPlan>('plan_auskunft', { personId, format });
export const exportAuskunft = (personId: number, path: string) =>
  invoke<AuskunftSummary>('export_auskunft', { personId, path });

// Sicherungen: the list, a backup now, a file before restoring it, the restore, the passphrase.
// `passphrase`: typed for an encrypted file; null uses the one in the OS credential store.

export const listBackups = () => invoke<BackupOverview>('list_backups');
export const backUpNow = () => invoke<BackupInfo>('back_up_now');
export const inspectBackup = (path: string, passphrase: string | null) =>
  invoke<BackupInfo>('inspect_backup', { path, passphrase });
export const restoreBackup = (path: string, passphrase: string | null) =>
  invoke<RestoreReport>('restore_backup', { path, passphrase });
export const setBackupPassphrase = (passphrase: string) =>
  invoke<null>('set_backup_passphrase', { passphrase });

// Team & Abgleich: the team page, this laptop's name, conflicts, the sync file.

export const teamOverview = () => invoke<TeamOverview>('team_overview');
export const syncStatus = () => invoke<SyncStatus>('sync_status');
export const setLaptopName = (name: string) => invoke<string>('set_laptop_name', { name });
export const resolveSyncConflict = (id: number, choice: string | null) =>
  invoke<null>('resolve_sync_conflict', { id, choice });
export const planSyncExport = () => invoke<SyncFilePlan>('plan_sync_export');
export const exportSyncFile = (path: string) => invoke<SyncExportSummary>('export_sync_file', { path });
export const importSyncFile = (path: string) => invoke<SyncImportReport>('import_sync_file', { path });

// The LAN sync: started after the first paint; pairing both ways, removing, exchanging now.

export const startTeam = () => invoke<null>('start_team');
export const teamNetwork = () => invoke<TeamNetwork>('team_network');
export const pairingOffer = () => invoke<PairingOffer>('pairing_offer');
export const pairLaptop = (address: string, code: string) => invoke<PeerInfo>('pair_laptop', { address, code });
export const removeLaptop = (laptopId: string) => invoke<null>('remove_laptop', { laptopId });
export const syncNow = () => invoke<ExchangeReport[]>('sync_now');
