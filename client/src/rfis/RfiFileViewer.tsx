import { providerLabels, type Rfi, type RfiAnswer, type RfiAnswerDocument } from '@desk/shared';
import { DateTime } from '../common/DateTime';
import { formatBytes } from '../common/formatBytes';
import { CaseContext, caseDocumentFile, useViewedCase } from '../documents/CaseDocumentViewer';
import DocumentViewer, { Fact, FactSection, type ViewerFile } from '../documents/DocumentViewer';
import { rfiAnswerFileUrl } from '../documents/documentContentUrl';

/** What an RFI's item is called (the key, for a file answering nothing the RFI lists). */
const itemLabelOf = (rfi: Rfi, itemKey: string) => rfi.items.find((item) => item.key === itemKey)?.label ?? itemKey;

/** A file answering an RFI as the viewer shows it: which item, which answer, its facts. */
function rfiAnswerFile(rfi: Rfi, answer: RfiAnswer, document: RfiAnswerDocument): ViewerFile {
  return {
    id: document.id,
    label: `${itemLabelOf(rfi, document.itemKey)} · answer ${answer.version}`,
    contentUrl: rfiAnswerFileUrl(rfi.id, answer.id, document.id),
    contentType: document.contentType,
    fileName: document.fileName,
    facts: <RfiFileFacts rfi={rfi} answer={answer} document={document} />,
  };
}

export interface RfiFileViewerProps {
  rfi: Rfi;
  answer: RfiAnswer;
  document: RfiAnswerDocument;
  onClose: () => void;
}

/**
 * A file answering an RFI in the viewer, beside the applicant's key data; any other file of the
 * RFI's answers (every version) or document of its case can be shown next to it.
 */
const RfiFileViewer = ({ rfi, answer, document, onClose }: RfiFileViewerProps) => {
  const { data: application, error } = useViewedCase(rfi.applicationId);
  const answerFiles = rfi.answers.flatMap((a) =>
    a.documents.filter((d) => d.viewable && d.id !== document.id).map((d) => rfiAnswerFile(rfi, a, d)),
  );
  const caseFiles =
    application?.documents.filter((d) => d.viewable).map((d) => caseDocumentFile(rfi.applicationId, d, application)) ??
    [];
  return (
    <DocumentViewer
      file={rfiAnswerFile(rfi, answer, document)}
      subtitle={rfi.applicantName}
      others={[...answerFiles, ...caseFiles]}
      noOthers="No other file of this RFI or its case"
      context={<CaseContext application={application} error={error} />}
      onClose={onClose}
    />
  );
};
export default RfiFileViewer;

/** Which RFI and answer a file came with, who sent it, and what the provider said of that item. */
const RfiFileFacts = ({ rfi, answer, document }: { rfi: Rfi; answer: RfiAnswer; document: RfiAnswerDocument }) => {
  const refusal = answer.refusal?.fields[document.itemKey];
  return (
    <FactSection
      id={`viewer-rfi-file-${document.id}`}
      title={itemLabelOf(rfi, document.itemKey)}
      testId="viewer-rfi-file-facts"
    >
      <Fact label="RFI">{rfi.title}</Fact>
      <Fact label={`Answer ${answer.version}`}>
        <DateTime value={answer.answeredAt} />
        {answer.answeredBy ? ` by ${answer.answeredBy.name}` : ''}
      </Fact>
      {answer.refusal && (
        <Fact label={`Refused by ${providerLabels[rfi.provider]}`}>
          {refusal && refusal.length > 0 ? refusal.join('; ') : answer.refusal.message}
        </Fact>
      )}
      {document.fileName && <Fact label="File">{document.fileName}</Fact>}
      <Fact label="Size">{formatBytes(document.sizeBytes)}</Fact>
      <Fact label="SHA-256" mono>
        {document.sha256}
      </Fact>
    </FactSection>
  );
};
